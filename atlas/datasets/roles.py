"""Roles: who may do what. Kept in the store and read on every check (never taken from the caller's Actor),
so a role granted or revoked counts at once, on every worker."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

import atlas.datasets.tables as T
from atlas.datasets.audit import AuditLog
from atlas.datasets.database import _stamp
from atlas.datasets.model import ACCOUNT_ROLES, Actor, DatasetError, NotAllowed

_IDENTITY = re.compile(r"^(local:[a-z0-9][a-z0-9._-]{0,63}|oidc:[^\s|]{1,200}\|\S{1,200}|[^\s@:]{1,64}@[^\s@]{1,200})$")


class Roles(AuditLog):
    """Checking, granting and revoking roles."""

    def _roles_of(self, conn: Connection, *identities: str | None) -> set[str]:
        wanted = [i for i in identities if i]
        if not wanted:
            return set()
        return set(conn.execute(select(T.roles.c.role).where(T.roles.c.identity.in_(wanted))).scalars())

    def _roles(self, conn: Connection, actor: Actor) -> set[str]:
        """The actor's roles as the store has them now (the command's `cli:` actor is the operator)."""
        if not isinstance(actor, Actor):
            raise NotAllowed("no actor")
        if actor.identity.startswith("cli:"):
            return {"admin"}
        if actor.identity.startswith("local:"):
            username = actor.identity.removeprefix("local:")
            found = conn.execute(select(T.accounts.c.disabled).where(T.accounts.c.username == username)).first()
            if found is None or found.disabled:  # a disabled account's open sessions lose their roles at once
                return set()
        return self._roles_of(conn, actor.identity, actor.email)

    def refresh_actor(self, actor: Actor) -> Actor:
        """The same actor with the roles the store holds now (none for a disabled account): for showing
        the right buttons; the Store methods check the roles themselves anyway."""
        with self._read() as conn:
            roles = self._roles(conn, actor) if actor.identity != "viewer" else set()
        return Actor(actor.identity, actor.display_name, tuple(sorted(roles)), actor.email)

    def _role_change(self, identity: str, role: str, actor: Actor, action: str) -> None:
        if not isinstance(identity, str) or not _IDENTITY.match(identity):
            raise DatasetError("an identity is local:<user>, oidc:<issuer>|<subject> or an e-mail address")
        if role not in ACCOUNT_ROLES:
            raise DatasetError(f"roles are {' and '.join(ACCOUNT_ROLES)}")
        identity = identity.lower() if "@" in identity and ":" not in identity else identity
        with self._write() as conn:
            if "admin" not in self._roles(conn, actor):
                raise NotAllowed("only an admin may grant or revoke roles")
            conn.execute(delete(T.roles).where(T.roles.c.identity == identity, T.roles.c.role == role))
            if action == "grant":
                conn.execute(
                    insert(T.roles).values(
                        identity=identity, role=role, granted_by=actor.identity, granted_at=_stamp(self._now())
                    )
                )
            self._audit(conn, actor.identity, action, identity, {"role": role})

    def grant(self, identity: str, role: str, actor: Actor) -> None:
        """Give `identity` (local:<user>, oidc:<issuer>|<subject> or an e-mail address) a role. Admins only."""
        self._role_change(identity, role, actor, "grant")

    def revoke(self, identity: str, role: str, actor: Actor) -> None:
        """Take a role away (at once: every check reads the roles from the store). Admins only."""
        self._role_change(identity, role, actor, "revoke")

    def roles(self) -> pd.DataFrame:
        """Every granted role: identity, role, granted_by, granted_at."""
        with self._read() as conn:
            found = conn.execute(select(T.roles).order_by(T.roles.c.identity, T.roles.c.role)).all()
        return pd.DataFrame(found, columns=["identity", "role", "granted_by", "granted_at"])
