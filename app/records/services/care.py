"""Chronic care and history: PAI with their planned activities, family history."""

from __future__ import annotations

from datetime import date

from app.core.errors import InvalidInput
from app.records.services.access import Permission, requires
from app.records.services.versions import EntryWriter

# HL7 v3 RoleCode values the Patient Summary uses for a relative.
RELATIONSHIPS = ("MTH", "FTH", "SIB", "BRO", "SIS", "CHILD", "SON", "DAU", "GRMTH", "GRFTH",
                 "AUNT", "UNCLE", "COUSN", "FAMMEMB")


class CareWriter(EntryWriter):
    """PAI (piano assistenziale individuale) and family history."""

    @requires(Permission.WRITE_CLINICAL)
    def create_care_plan(
        self,
        patient_id: str,
        title: str,
        start_date: date,
        *,
        goals: str = "",
        level: int | None = None,
        case_manager_id: str | None = None,
    ) -> str:
        """Open a PAI; returns its lineage id (planned activities refer to it)."""
        return self._create(
            "care_plan",
            patient_id,
            {
                "title": title,
                "start_date": start_date,
                "goals": goals,
                "level": level,
                "case_manager_id": case_manager_id,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_care_plan_activity(
        self,
        patient_id: str,
        care_plan_lineage_id: str,
        description: str,
        period_months: int,
        *,
        next_due: date | None = None,
        code: str | None = None,
    ) -> str:
        """A planned exam or visit with its periodicity."""
        return self._create(
            "care_plan_activity",
            patient_id,
            {
                "care_plan_lineage_id": care_plan_lineage_id,
                "description": description,
                "period_months": period_months,
                "next_due": next_due,
                "code": code,
            },
        )

    @requires(Permission.WRITE_CLINICAL)
    def add_family_history(
        self,
        patient_id: str,
        relationship: str,
        description: str,
        *,
        icd9_code: str | None = None,
        age_at_onset: int | None = None,
        deceased: bool | None = None,
        note: str = "",
    ) -> str:
        """A condition in a blood relative (anamnesi familiare)."""
        relationship = relationship.strip().upper()
        if relationship not in RELATIONSHIPS:
            raise InvalidInput(detail=f"relationship must be one of {', '.join(RELATIONSHIPS)}")
        if age_at_onset is not None and not 0 <= age_at_onset <= 120:
            raise InvalidInput(detail="age at onset must be between 0 and 120")
        return self._create(
            "family_history",
            patient_id,
            {
                "relationship": relationship,
                "description": description.strip(),
                "icd9_code": icd9_code,
                "age_at_onset": age_at_onset,
                "deceased": deceased,
                "note": note,
            },
        )
