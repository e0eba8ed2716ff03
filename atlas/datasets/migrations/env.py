"""Alembic's environment for the store. Store.open() runs the upgrade on its own connection (passed in
`config.attributes["connection"]`, inside its locked transaction); `alembic -c … upgrade head` with the
URL as `sqlalchemy.url` works too."""

from alembic import context
from sqlalchemy import create_engine

from atlas.datasets.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(config.get_main_option("sqlalchemy.url")).begin() as own:
        context.configure(connection=own, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
