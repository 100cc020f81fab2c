"""the change log seals every field: hlc and schema_version join the hash

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

Up to 0008 an entry's hash covered (origin, seq, entity, entity_id, op, payload) joined
with "|": its hybrid clock time and schema version could be changed unseen, and two
different entries could share the joined text. From here it covers every field, each
one typed and length-prefixed (``change_hash_v2``, docs/decisions/0022-sync-foundations.md).

Every entry of ``change_log`` is first checked against the formula it was written with;
the first one that does not match stops the migration (the record is left as it was and
the error names the entry), so a changed entry is never resealed as if it were genuine.
The append-only trigger is set aside for the rewrite and put back as it was, in the same
transaction. The clinical file's log is resealed by its own migration, c0003. No content
row changes: the content digest is the same.
"""

from collections.abc import Sequence

from alembic import op

from app.records.storage.reseal import reseal_v1_to_v2

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    reseal_v1_to_v2(op.get_bind(), "change_log", "change_log_append_only_update", "change log")


def downgrade() -> None:
    raise NotImplementedError("the change log is never sealed back with the weaker formula")
