"""the clinical change log seals every field: hlc and schema_version join the hash

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-05

The clinical file's half of main migration 0009 (docs/decisions/0022-sync-foundations.md):
every entry of ``clinical_change`` is checked against the formula it was written with
(v1) and resealed with ``change_hash_v2``, which covers every field. The first entry that
does not match stops the migration: the clinical file is left as it was (one
transaction) and the error names the entry. The append-only trigger is set aside for the
rewrite and put back as it was.
"""

from collections.abc import Sequence

from alembic import op

from app.records.storage.reseal import reseal_v1_to_v2

revision: str = "c0003"
down_revision: str | None = "c0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    reseal_v1_to_v2(op.get_bind(), "clinical_change", "clinical_change_append_only_update", "clinical change log")


def downgrade() -> None:
    raise NotImplementedError("the clinical file is never downgraded")
