"""Accounts and signing in: built-in accounts (`local:<user>`, passphrases kept as salted scrypt hashes,
wrong ones slowed down for every worker), OpenID Connect sign-ins, and the operator of the command."""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, insert, select, text, update

import atlas.datasets.tables as T
from atlas.datasets.database import _moment, _stamp
from atlas.datasets.model import ACCOUNT_ROLES, Actor, DatasetError, NotAllowed, SignInRefused, _check_text
from atlas.datasets.roles import _IDENTITY, Roles

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSPHRASE = 12
FREE_FAILURES = 3  # wrong passphrases before each further attempt must wait
MAX_WAIT_S = 3600
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def operator() -> Actor:
    """The command's actor, `cli:<os user>`: whoever can run the command on the server is the operator
    (admin). Pages never make one; their actors come from sign_in and actor_for_oidc."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = str(os.getuid())
    return Actor(f"cli:{user}", user, ("admin",))


def _hash(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def _wait_s(failures: int) -> float:
    """How long after the last failure the next attempt must wait: 2, 4, 8 … s from the third on."""
    return 0.0 if failures < FREE_FAILURES else float(min(2 ** (failures - FREE_FAILURES + 1), MAX_WAIT_S))


class Accounts(Roles):
    """Built-in accounts and sign-in (local and OpenID Connect)."""

    def create_account(
        self, username: str, passphrase: str, roles: Sequence[str] = ("publisher",), *, actor: Actor
    ) -> Actor:
        """A built-in account `local:<username>` (lower-case letters, digits, . _ -) with a passphrase of
        at least 12 characters (kept only as a salted scrypt hash) and its roles. Admins only."""
        if not isinstance(username, str) or not _USERNAME.match(username):
            raise DatasetError("a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-'")
        if not isinstance(passphrase, str) or not MIN_PASSPHRASE <= len(passphrase) <= 1024:
            raise DatasetError(f"a passphrase has at least {MIN_PASSPHRASE} characters")
        unknown = [r for r in roles if r not in ACCOUNT_ROLES]
        if unknown or not roles:
            raise DatasetError(f"roles are {' and '.join(ACCOUNT_ROLES)}")
        salt = secrets.token_bytes(16)
        digest = _hash(passphrase, salt, **SCRYPT)
        identity = f"local:{username}"
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may create accounts")
            if conn.execute(select(T.accounts.c.username).where(T.accounts.c.username == username)).first():
                raise DatasetError(f"account {username} exists")
            now = _stamp(self._now())
            conn.execute(
                insert(T.accounts).values(
                    username=username,
                    scrypt_hash=digest,
                    salt=salt,
                    scrypt_n=SCRYPT["n"],
                    scrypt_r=SCRYPT["r"],
                    scrypt_p=SCRYPT["p"],
                    created_at=now,
                    disabled=False,
                )
            )
            for role in dict.fromkeys(roles):
                conn.execute(
                    insert(T.roles).values(identity=identity, role=role, granted_by=actor.identity, granted_at=now)
                )
            self._audit(conn, actor.identity, "account_create", identity, {"roles": list(dict.fromkeys(roles))})
        return Actor(identity, username, tuple(sorted(set(roles))))

    def set_account_disabled(self, username: str, disabled: bool, *, actor: Actor) -> None:
        """Disable (sign-in refused, the account and its history kept) or enable an account. Admins only."""
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may disable or enable accounts")
            done = conn.execute(
                update(T.accounts).where(T.accounts.c.username == username).values(disabled=bool(disabled))
            )
            if done.rowcount != 1:
                raise DatasetError(f"no account {str(username)[:64]!r}")
            action = "account_disable" if disabled else "account_enable"
            self._audit(conn, actor.identity, action, f"local:{username}", {})

    def sign_in(self, username: str, passphrase: str) -> Actor:
        """The actor of a built-in account, or SignInRefused (same message for an unknown user and a wrong
        passphrase). From the third failure on, each attempt must wait 2, 4, 8 … s after the previous
        failure (kept in the store, so every worker counts the same)."""
        if not isinstance(username, str) or not _USERNAME.match(username) or not isinstance(passphrase, str):
            raise SignInRefused("wrong user name or passphrase")
        identity = f"local:{username}"
        passed: Actor | None = None
        refusal: SignInRefused | None = None
        with self._write() as conn:
            if self.is_postgres:  # one attempt per identity at a time (SQLite's writes are one at a time)
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:identity))"), {"identity": identity})
            now = self._now()
            failed = conn.execute(select(T.login_failures).where(T.login_failures.c.identity == identity)).first()
            if failed is not None:
                ready = _moment(failed.last_at) + timedelta(seconds=_wait_s(failed.count))
                if now < ready:
                    wait = (ready - now).total_seconds()
                    raise SignInRefused(f"too many wrong passphrases: try again in {wait:.0f} s", wait)
            account = conn.execute(select(T.accounts).where(T.accounts.c.username == username)).first()
            if account is None:  # the same work as for a real account: the time says nothing
                _hash(passphrase, b"\0" * 16, **SCRYPT)
                good = False
            else:
                given = _hash(passphrase, account.salt, account.scrypt_n, account.scrypt_r, account.scrypt_p)
                good = hmac.compare_digest(given, account.scrypt_hash) and not account.disabled
            if good:
                conn.execute(delete(T.login_failures).where(T.login_failures.c.identity == identity))
                passed = Actor(identity, username, tuple(sorted(self._roles_of(conn, identity))))
            else:
                count = (failed.count if failed is not None else 0) + 1
                conn.execute(delete(T.login_failures).where(T.login_failures.c.identity == identity))
                conn.execute(insert(T.login_failures).values(identity=identity, count=count, last_at=_stamp(now)))
                self._audit(conn, identity, "sign_in_refused", identity, {"failures": count})
                refusal = SignInRefused("wrong user name or passphrase", _wait_s(count))
        if refusal is not None:
            raise refusal
        assert passed is not None
        return passed

    def actor_for_oidc(
        self, issuer: str, subject: str, email: str | None, name: str | None, *, email_verified: bool = True
    ) -> Actor:
        """The actor of an OpenID Connect sign-in (`oidc:<issuer>|<subject>`): roles granted to that
        identity or to the (verified) e-mail address; a stranger is a viewer with no roles."""
        _check_text(issuer, "issuer")
        _check_text(subject, "subject")
        identity = f"oidc:{issuer}|{subject}"
        if not _IDENTITY.match(identity):
            raise DatasetError("the OpenID Connect issuer or subject holds spaces or '|'")
        mail = email.strip().lower() if isinstance(email, str) and email_verified and email.strip() else None
        with self._read() as conn:
            roles = self._roles_of(conn, identity, mail)
        shown = name if isinstance(name, str) and name.strip() else (mail or subject)
        return Actor(identity, shown[:200], tuple(sorted(roles)), mail)
