"""the clinical file: clinical content and its change log, under the clinical key

Revision ID: c0001
Revises:
Create Date: 2026-11-25

The clinical tables exactly as main schema 0005 had them (that is what the split
copies), without the foreign keys to patients (SQLite cannot enforce them across files),
plus the clinical change log, the appointments' clinical notes and the file's facts.
"""

from collections.abc import Sequence

from alembic import op

from app.records.storage.guards import (
    append_only_guard_sql,
    clinical_guard_sql,
    no_replace_guard_sql,
)

revision: str = "c0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen DDL (never regenerate it from the model).
TABLES = (
    """CREATE TABLE allergy (
	substance VARCHAR(200) NOT NULL,
	atc_code VARCHAR(10),
	kind VARCHAR(12) NOT NULL,
	reaction TEXT,
	criticality VARCHAR(10),
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE care_plan (
	title VARCHAR(200) NOT NULL,
	level INTEGER,
	goals TEXT NOT NULL,
	start_date DATE NOT NULL,
	end_date DATE,
	case_manager_id VARCHAR(36),
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE care_plan_activity (
	care_plan_lineage_id VARCHAR(36) NOT NULL,
	description VARCHAR(200) NOT NULL,
	code VARCHAR(20),
	period_months INTEGER NOT NULL,
	next_due DATE,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE certificate (
	kind VARCHAR(40) NOT NULL,
	start_date DATE NOT NULL,
	end_date DATE,
	visit_type VARCHAR(20),
	diagnosis TEXT NOT NULL,
	stay_address VARCHAR(200),
	protocol_number VARCHAR(40),
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE device_recording (
	device_kind VARCHAR(40) NOT NULL,
	device_serial VARCHAR(60),
	format VARCHAR(40) NOT NULL,
	acquired_at DATETIME NOT NULL,
	content BLOB NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE document (
	title VARCHAR(200) NOT NULL,
	kind VARCHAR(40) NOT NULL,
	mime_type VARCHAR(80) NOT NULL,
	content BLOB NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	size INTEGER NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE encounter (
	started_at DATETIME NOT NULL,
	kind VARCHAR(20) NOT NULL,
	subjective TEXT NOT NULL,
	objective TEXT NOT NULL,
	assessment TEXT NOT NULL,
	"plan" TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE esenzione (
	id VARCHAR(36) NOT NULL,
	patient_id VARCHAR(36) NOT NULL,
	code VARCHAR(10) NOT NULL,
	description TEXT,
	valid_from DATE NOT NULL,
	valid_to DATE, hidden BOOLEAN, author_id VARCHAR(36),
	PRIMARY KEY (id)
)""",
    """CREATE TABLE family_history (
	relationship VARCHAR(10) NOT NULL,
	description VARCHAR(250) NOT NULL,
	icd9_code VARCHAR(10),
	age_at_onset INTEGER,
	deceased BOOLEAN,
	note TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE medication (
	atc_code VARCHAR(10) NOT NULL,
	aic_code VARCHAR(9),
	name VARCHAR(200) NOT NULL,
	dosage VARCHAR(200) NOT NULL,
	chronic BOOLEAN NOT NULL,
	start_date DATE,
	end_date DATE,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE observation (
	code VARCHAR(20) NOT NULL,
	code_system VARCHAR(20) NOT NULL,
	display VARCHAR(120) NOT NULL,
	value_num FLOAT,
	value_text VARCHAR(200),
	unit VARCHAR(20),
	effective_at DATETIME NOT NULL,
	source VARCHAR(40) NOT NULL,
	encounter_id VARCHAR(36),
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE prescription (
	atc_code VARCHAR(10) NOT NULL,
	aic_code VARCHAR(9),
	name VARCHAR(200) NOT NULL,
	dosage VARCHAR(200) NOT NULL,
	quantity INTEGER NOT NULL,
	esenzione_code VARCHAR(10),
	nre VARCHAR(20),
	issued_at DATETIME NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE problem (
	icd9_code VARCHAR(10) NOT NULL,
	description VARCHAR(250) NOT NULL,
	clinical_status VARCHAR(10) NOT NULL,
	onset DATE,
	resolved_on DATE,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE vaccination (
	vaccine_code VARCHAR(10) NOT NULL,
	name VARCHAR(200) NOT NULL,
	lot VARCHAR(40),
	dose_number INTEGER,
	administered_at DATETIME NOT NULL,
	id VARCHAR(36) NOT NULL,
	lineage_id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	supersedes_id VARCHAR(36),
	correction_reason TEXT,
	status VARCHAR(20) NOT NULL,
	hidden BOOLEAN NOT NULL,
	author_id VARCHAR(36) NOT NULL,
	recorded_at DATETIME NOT NULL,
	signed_at DATETIME,
	patient_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (id)
)""",
    """CREATE TABLE appointment_note (
	appointment_id VARCHAR(36) NOT NULL,
	patient_id VARCHAR(36),
	note VARCHAR(200),
	clinical_reason TEXT,
	PRIMARY KEY (appointment_id)
)""",
    """CREATE TABLE clinical_change (
	origin VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	hlc INTEGER NOT NULL,
	schema_version VARCHAR(40) NOT NULL,
	entity VARCHAR(40) NOT NULL,
	entity_id VARCHAR(36) NOT NULL,
	op VARCHAR(10) NOT NULL,
	payload TEXT NOT NULL,
	hash VARCHAR(64) NOT NULL,
	PRIMARY KEY (origin, seq)
)""",
    """CREATE TABLE clinical_meta (
	key VARCHAR(40) NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (key)
)""",
)
INDEXES = (
    "CREATE INDEX ix_allergy_lineage_id ON allergy (lineage_id)",
    "CREATE INDEX ix_allergy_patient_id ON allergy (patient_id)",
    "CREATE INDEX ix_care_plan_activity_care_plan_lineage_id ON care_plan_activity (care_plan_lineage_id)",
    "CREATE INDEX ix_care_plan_activity_lineage_id ON care_plan_activity (lineage_id)",
    "CREATE INDEX ix_care_plan_activity_patient_id ON care_plan_activity (patient_id)",
    "CREATE INDEX ix_care_plan_lineage_id ON care_plan (lineage_id)",
    "CREATE INDEX ix_care_plan_patient_id ON care_plan (patient_id)",
    "CREATE INDEX ix_certificate_lineage_id ON certificate (lineage_id)",
    "CREATE INDEX ix_certificate_patient_id ON certificate (patient_id)",
    "CREATE INDEX ix_device_recording_lineage_id ON device_recording (lineage_id)",
    "CREATE INDEX ix_device_recording_patient_id ON device_recording (patient_id)",
    "CREATE INDEX ix_document_lineage_id ON document (lineage_id)",
    "CREATE INDEX ix_document_patient_id ON document (patient_id)",
    "CREATE INDEX ix_encounter_lineage_id ON encounter (lineage_id)",
    "CREATE INDEX ix_encounter_patient_id ON encounter (patient_id)",
    "CREATE INDEX ix_esenzione_patient_id ON esenzione (patient_id)",
    "CREATE INDEX ix_family_history_lineage_id ON family_history (lineage_id)",
    "CREATE INDEX ix_family_history_patient_id ON family_history (patient_id)",
    "CREATE INDEX ix_medication_lineage_id ON medication (lineage_id)",
    "CREATE INDEX ix_medication_patient_id ON medication (patient_id)",
    "CREATE INDEX ix_observation_lineage_id ON observation (lineage_id)",
    "CREATE INDEX ix_observation_patient_id ON observation (patient_id)",
    "CREATE INDEX ix_prescription_lineage_id ON prescription (lineage_id)",
    "CREATE INDEX ix_prescription_patient_id ON prescription (patient_id)",
    "CREATE INDEX ix_problem_lineage_id ON problem (lineage_id)",
    "CREATE INDEX ix_problem_patient_id ON problem (patient_id)",
    "CREATE INDEX ix_vaccination_lineage_id ON vaccination (lineage_id)",
    "CREATE INDEX ix_vaccination_patient_id ON vaccination (patient_id)",
    "CREATE INDEX ix_appointment_note_patient_id ON appointment_note (patient_id)",
)
ENTRY_TABLES = (
    "encounter", "problem", "allergy", "medication", "prescription", "observation",
    "vaccination", "document", "device_recording", "care_plan", "care_plan_activity",
    "certificate", "family_history",
)


def upgrade() -> None:
    for statement in (*TABLES, *INDEXES):
        op.execute(statement)
    for table in ENTRY_TABLES:
        for statement in (*clinical_guard_sql(table), *no_replace_guard_sql(table)):
            op.execute(statement)
    for statement in (*append_only_guard_sql("clinical_change"),
                      *no_replace_guard_sql("clinical_change", ("origin", "seq"))):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the clinical file is never downgraded")
