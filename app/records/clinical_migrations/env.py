"""Alembic environment of the clinical file: run on the connection Medirete hands over.

The clinical file (``clinical.db``) has its own chain of revisions, applied on a
connection to that file alone, by a clinical user (only they hold its key).
"""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the clinical migrations run only on a connection Medirete opens")
context.configure(connection=connection, target_metadata=None, render_as_batch=True,
                  transaction_per_migration=False)
context.run_migrations()
