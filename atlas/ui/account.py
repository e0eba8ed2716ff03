"""Who this session is (Streamlit glue): a viewer (no account needed), a built-in account signed in with
its passphrase, or a person signed in through OpenID Connect (`st.login`, when .streamlit/secrets.toml
has an [auth] section). Roles live in the store and are read from it again for every privileged action;
the Store checks them once more itself, so a session that shows no button can do nothing by sending
widget messages by hand.
"""

from __future__ import annotations

import streamlit as st

from atlas.datasets import VIEWER, Actor, DatasetError, SignInRefused, Store
from atlas.i18n import Lang, t
from atlas.legend import escape_markdown
from atlas.ui import store as shared

ACTOR = "account_actor"  # the Actor of a passed built-in sign-in (an Actor instance, never a widget value)
ROLE_LABELS = {"publisher": "account_role_publisher", "admin": "account_role_admin"}
REFUSAL = "account_refusal"  # why the last sign-in was refused (shown under the form until one passes)


def oidc_provider() -> str | None:
    """The st.login provider of .streamlit/secrets.toml's [auth] section ("" for the default one), or
    None when there is none (then no OpenID Connect button is shown)."""
    try:
        if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
            return None
        section = st.secrets["auth"]
    except Exception:  # noqa: BLE001 - a damaged secrets file means no single sign-on, not a broken page
        return None
    if "server_metadata_url" in section:
        return ""
    named = [name for name in section if hasattr(section[name], "keys") and "server_metadata_url" in section[name]]
    return named[0] if named else None


def _oidc_actor(store: Store) -> Actor | None:
    """The OpenID Connect user's actor, with roles as the store has them now (None: not signed in)."""
    if oidc_provider() is None or not st.user.is_logged_in:
        return None
    claims = {k: st.user.get(k) for k in ("iss", "sub", "email", "name", "email_verified")}
    if not isinstance(claims["iss"], str) or not isinstance(claims["sub"], str):
        return None
    try:
        return store.actor_for_oidc(
            claims["iss"],
            claims["sub"],
            claims["email"] if isinstance(claims["email"], str) else None,
            claims["name"] if isinstance(claims["name"], str) else None,
            email_verified=claims["email_verified"] is True,
        )
    except DatasetError:
        return None


def _with_roles_now(store: Store, who: Actor) -> Actor:
    """A built-in account's actor with the roles the store holds for it now (a revoked role is gone)."""
    granted = store.roles()
    roles = tuple(sorted(set(granted.loc[granted["identity"] == who.identity, "role"])))
    return Actor(who.identity, who.display_name, roles, who.email)


def actor() -> Actor:
    """Who acts in this session, roles read from the store now; VIEWER when nobody is signed in or the
    store cannot be used."""
    kept = st.session_state.get(ACTOR)

    def look_up(store: Store) -> Actor:
        if isinstance(kept, Actor):
            return _with_roles_now(store, kept)
        return _oidc_actor(store) or VIEWER

    if not isinstance(kept, Actor) and (oidc_provider() is None or not st.user.is_logged_in):
        return VIEWER  # a viewer costs the store nothing
    return shared.call(look_up) or VIEWER


def _sign_in() -> None:
    username = str(st.session_state.get("account_user", "")).strip().lower()
    passphrase = str(st.session_state.get("account_pass", ""))
    st.session_state["account_pass"] = ""
    try:
        found = shared.call(lambda store: store.sign_in(username, passphrase))
    except SignInRefused as exc:
        st.session_state[REFUSAL] = ("wait" if str(exc).startswith("too many") else "wrong", exc.retry_after)
        return
    if found is None:
        st.session_state[REFUSAL] = ("store", 0.0)
        return
    st.session_state.pop(REFUSAL, None)
    st.session_state[ACTOR] = found


def _sign_out() -> None:
    st.session_state.pop(ACTOR, None)
    if oidc_provider() is not None and st.user.is_logged_in:
        st.logout()


def _login() -> None:
    provider = oidc_provider()
    if provider:
        st.login(provider)
    else:
        st.login()


def refusal_text(lang: Lang) -> str | None:
    refused = st.session_state.get(REFUSAL)
    if refused is None:
        return None
    why, wait = refused
    if why == "store":
        return t("account_store_down", lang)
    if why == "wait":
        return t("account_wait", lang, s=f"{wait:.0f}")
    return t("account_wrong", lang) + (" " + t("account_slowed", lang, s=f"{wait:.0f}") if wait else "")


def sidebar(lang: Lang) -> Actor:
    """The sidebar's account box: sign in (a form; the OpenID Connect button when configured) or who is
    signed in and Sign out. Returns the actor."""
    who = actor()
    with st.sidebar:
        if who.identity != VIEWER.identity:
            roles = ", ".join(t(ROLE_LABELS[r], lang) for r in who.roles) or t("account_role_none", lang)
            st.caption(f":material/person: {escape_markdown(t('account_signed_in', lang, name=who.display_name))}")
            st.caption(escape_markdown(t("account_roles", lang, roles=roles)))
            st.button(t("account_sign_out", lang), key="account_sign_out", on_click=_sign_out, icon=":material/logout:")
            return who
        with st.expander(t("account_sign_in", lang), icon=":material/login:"):
            st.caption(t("account_help", lang))
            with st.form("account_form", border=False):
                st.text_input(t("account_user", lang), key="account_user", autocomplete="username")
                st.text_input(
                    t("account_pass", lang), key="account_pass", type="password", autocomplete="current-password"
                )
                st.form_submit_button(t("account_sign_in", lang), on_click=_sign_in)
            refused = refusal_text(lang)
            if refused:
                st.error(refused, icon=":material/lock:")
            if oidc_provider() is not None:
                st.button(t("account_oidc", lang), key="account_oidc", on_click=_login, icon=":material/badge:")
    return who
