"""Alembic environment: always run on the connection Medirete hands over."""

from alembic import context

from app.records.model import Base

connection = context.config.attributes.get("connection")
target_metadata = Base.metadata

if connection is None:
    # Used only by developers running `alembic revision --autogenerate` on a scratch db.
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, transaction_per_migration=False)
    context.run_migrations()
