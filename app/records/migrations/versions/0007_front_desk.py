"""the front desk: timetables, visit types, closures, waiting room, demographic history

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Everything here lives in the record file (no clinical content): the agenda's
timetables, visit types and closures; the waiting room's arrival and call times and
the reason an appointment was cancelled; the center's settings; the history of each
patient's demographics; the domicile's city and postcode, the birth province, and
digit-only phone keys with indexes so that a phone number or a birth date is an
indexed search. The covering index for name searches gains the GP of choice, which
the results now show. No row is added or changed except the phone keys, which are
derived from the numbers already there (the content digest leaves them out: they
repeat ``phone`` and ``mobile``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVER_0002 = ("surname_key", "given_key", "id", "codice_fiscale", "surname", "given_name",
              "sex", "birth_date", "birth_place")


def phone_digits(number: str | None) -> str | None:
    """Frozen copy of the phone key rule: digits only, without the Italian prefix."""
    if not number:
        return None
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith(("+39", "0039")):
        digits = digits[2:] if number.strip().startswith("+") else digits[4:]
    return digits or None


def _patient_columns() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("birth_province", sa.String(length=2), nullable=True))
        batch.add_column(sa.Column("domicile_city", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("domicile_postcode", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("phone_key", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("mobile_key", sa.String(length=20), nullable=True))
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, phone, mobile FROM patient").all()
    for patient_id, phone, mobile in rows:
        if phone or mobile:
            conn.exec_driver_sql(
                "UPDATE patient SET phone_key = ?, mobile_key = ? WHERE id = ?",
                (phone_digits(phone), phone_digits(mobile), patient_id),
            )
    op.drop_index("ix_patient_name_cover", table_name="patient")
    op.create_index("ix_patient_name_cover", "patient", [*COVER_0002, "gp_id"])
    op.create_index("ix_patient_birth_date", "patient", ["birth_date"])
    op.create_index("ix_patient_phone_key", "patient", ["phone_key"])
    op.create_index("ix_patient_mobile_key", "patient", ["mobile_key"])


def upgrade() -> None:
    _patient_columns()
    op.create_table(
        "patient_history",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("patient_id", sa.String(length=36), sa.ForeignKey("patient.id"),
                  nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
    )
    op.create_index("ix_patient_history_patient_id", "patient_history", ["patient_id"])
    with op.batch_alter_table("appointment") as batch:
        batch.add_column(sa.Column("arrived_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("called_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=200), nullable=True))
    op.create_table(
        "visit_type",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("code", sa.String(length=30), nullable=False, unique=True),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "work_schedule",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("clinician_id", sa.String(length=36), sa.ForeignKey("user.id"),
                  nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_work_schedule_clinician", "work_schedule", ["clinician_id", "weekday"])
    op.create_table(
        "closure",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("clinician_id", sa.String(length=36), sa.ForeignKey("user.id"),
                  nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
    )
    op.create_table(
        "center_setting",
        sa.Column("key", sa.String(length=60), primary_key=True),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
    )


def downgrade() -> None:
    for name in ("center_setting", "closure", "work_schedule", "visit_type", "patient_history"):
        op.drop_table(name)
    with op.batch_alter_table("appointment") as batch:
        for column in ("cancel_reason", "called_at", "arrived_at"):
            batch.drop_column(column)
    for name in ("ix_patient_mobile_key", "ix_patient_phone_key", "ix_patient_birth_date"):
        op.drop_index(name, table_name="patient")
    op.drop_index("ix_patient_name_cover", table_name="patient")
    op.create_index("ix_patient_name_cover", "patient", list(COVER_0002))
    with op.batch_alter_table("patient") as batch:
        for column in ("mobile_key", "phone_key", "domicile_postcode", "domicile_city",
                       "birth_province"):
            batch.drop_column(column)
