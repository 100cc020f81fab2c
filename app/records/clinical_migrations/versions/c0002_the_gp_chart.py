"""the GP's chart: problem links, therapy details, prescription kinds, drafts of visits

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-04

Columns are only added, all nullable (ALTER TABLE ADD COLUMN keeps the signed-row guards
in place, and old rows keep their content digest and seals: NULL fields are left out;
an old prescription with no ``item_kind`` is a drug):
a problem keeps its ICD-10-IM code beside the ICD-9-CM one and a free-text qualifier;
a visit names the problems it addressed; a therapy has frequency, route, the reason it
was stopped, the problem it treats and its AIFA equivalence group; a prescription is a
drug, a lab test or a specialist visit with its priority class and clinical question;
a vaccination has its site; a document has its own date, its source and its text (for
full-text search). The new ``encounter_draft`` table keeps what a clinician is typing,
so that a crash loses nothing: it is the author's working copy, never signed, never
logged, deleted when the visit is signed.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "c0002"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) in the order they are added; frozen here, never taken from the model.
COLUMNS: tuple[tuple[str, sa.Column[Any]], ...] = (
    ("problem", sa.Column("icd10im_code", sa.String(12), nullable=True)),
    ("problem", sa.Column("qualifier", sa.String(200), nullable=True)),
    ("encounter", sa.Column("problem_ids", sa.Text(), nullable=True)),
    ("medication", sa.Column("frequency", sa.String(80), nullable=True)),
    ("medication", sa.Column("route", sa.String(40), nullable=True)),
    ("medication", sa.Column("stop_reason", sa.Text(), nullable=True)),
    ("medication", sa.Column("problem_id", sa.String(36), nullable=True)),
    ("medication", sa.Column("equivalence_group", sa.String(10), nullable=True)),
    ("prescription", sa.Column("item_kind", sa.String(12), nullable=True)),
    ("prescription", sa.Column("code", sa.String(20), nullable=True)),
    ("prescription", sa.Column("priority", sa.String(1), nullable=True)),
    ("prescription", sa.Column("clinical_question", sa.Text(), nullable=True)),
    ("prescription", sa.Column("problem_id", sa.String(36), nullable=True)),
    ("prescription", sa.Column("medication_id", sa.String(36), nullable=True)),
    ("vaccination", sa.Column("site", sa.String(40), nullable=True)),
    ("document", sa.Column("document_date", sa.Date(), nullable=True)),
    ("document", sa.Column("source", sa.String(200), nullable=True)),
    ("document", sa.Column("text_content", sa.Text(), nullable=True)),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)
    op.create_table(
        "encounter_draft",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("patient_id", sa.String(36), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=False),
        sa.Column("amends_id", sa.String(36), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.create_index("ix_encounter_draft_author", "encounter_draft", ["author_id", "patient_id"])


def downgrade() -> None:
    op.drop_index("ix_encounter_draft_author", table_name="encounter_draft")
    op.drop_table("encounter_draft")
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column.name)
