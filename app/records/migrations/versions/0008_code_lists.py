"""code lists: ICD-10-IM, the ICD-9-CM -> ICD-10-IM transcoding, the AIFA medicines

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Three nullable columns on ``code_entry`` for ICD-10-IM (level, parent, terminal: a
non-terminal code is a heading, never picked), a table of ICD-9-CM -> ICD-10-IM
correspondences and a table of the AIFA list of medicines. None of them is content
(they are replaced whole by a newer official list), so the content digest is unchanged.

The Ministry's ICD-10-IM workbooks are not shipped (their licence forbids derived
copies): a center loads them with ``medirete-admin import-codes``. The AIFA list is
shipped; an existing center gets it here, from the resource of the program that runs
the migration. A center being created gets it from ``load_shipped_codes`` right after
the migrations, like every shipped list: the fill below runs only on a record that
already holds the shipped lists (docs/decisions/0016-icd10im-and-aifa.md).
"""

import csv
import gzip
import io
from collections.abc import Sequence
from importlib.resources import files

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen: the shipped resource's name and columns at this revision.
AIFA_RESOURCE = "aifa.csv.gz"
AIFA_COLUMNS = ("aic", "name", "atc", "equivalence_group", "release")
BATCH = 1000


def _shipped_aifa() -> list[dict[str, str]]:
    """The shipped AIFA rows; none when the resource is missing or has other columns."""
    resource = files("app.records.codes.data").joinpath(AIFA_RESOURCE)
    if not resource.is_file():
        return []
    text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != AIFA_COLUMNS:
        return []  # a later format: ``import-codes --kind aifa`` loads it instead
    return [{key: row[key] for key in AIFA_COLUMNS} for row in reader]


def _fill_drugs(table: sa.Table) -> None:
    conn = op.get_bind()
    loaded = conn.exec_driver_sql("SELECT count(*) FROM code_entry").scalar_one()
    if not loaded:  # a center being created: load_shipped_codes follows
        return
    rows = _shipped_aifa()
    for start in range(0, len(rows), BATCH):
        conn.execute(sa.insert(table), rows[start:start + BATCH])


def upgrade() -> None:
    with op.batch_alter_table("code_entry") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("parent", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("terminal", sa.Boolean(), nullable=True))
    op.create_table(
        "code_transcoding",
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("icd9_code", sa.String(length=12), nullable=False),
        sa.Column("icd10im_code", sa.String(length=12), nullable=False),
        sa.Column("icd9_description", sa.Text(), nullable=False),
        sa.Column("icd10im_description", sa.Text(), nullable=False),
        sa.Column("release", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("origin", "icd9_code", "icd10im_code"),
    )
    op.create_index("ix_code_transcoding_icd10im", "code_transcoding", ["icd10im_code"])
    drugs = op.create_table(
        "drug_entry",
        sa.Column("aic", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("atc", sa.String(length=7), nullable=False),
        sa.Column("equivalence_group", sa.String(length=10), nullable=False),
        sa.Column("release", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("aic"),
    )
    op.create_index("ix_drug_entry_atc", "drug_entry", ["atc"])
    op.create_index("ix_drug_entry_equivalence_group", "drug_entry", ["equivalence_group"])
    assert drugs is not None
    _fill_drugs(drugs)


def downgrade() -> None:
    op.drop_index("ix_drug_entry_equivalence_group", table_name="drug_entry")
    op.drop_index("ix_drug_entry_atc", table_name="drug_entry")
    op.drop_table("drug_entry")
    op.drop_index("ix_code_transcoding_icd10im", table_name="code_transcoding")
    op.drop_table("code_transcoding")
    op.execute("DELETE FROM code_entry WHERE system = 'icd10im'")
    with op.batch_alter_table("code_entry") as batch:
        for column in ("terminal", "parent", "kind"):
            batch.drop_column(column)
