"""Lab tests and specialist referrals a GP puts on the ricetta for chronic patients.

Codes are those of the national outpatient nomenclatore (DM 22 luglio 1996, the codes
the regional catalogues keep), e.g. 90.28.1 glycated haemoglobin, 89.52 ECG; priority
classes U (72 hours), B (10 days), D (30 or 60 days), P (programmed, within 120 days).
Values the lab computes (eGFR, LDL by Friedewald) are not ordered on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

# observation kind -> (nomenclatore code, what the ricetta says)
LAB_ORDERS: dict[str, tuple[str, str]] = {
    "HbA1c": ("90.28.1", "Emoglobina glicata (HbA1c)"),
    "Glicemia": ("90.27.1", "Glucosio"),
    "Creatinina": ("90.16.3", "Creatinina"),
    "Colesterolo totale": ("90.14.3", "Colesterolo totale"),
    "Colesterolo HDL": ("90.14.1", "Colesterolo HDL"),
    "Trigliceridi": ("90.43.2", "Trigliceridi"),
    "Potassio": ("90.37.4", "Potassio"),
    "Microalbuminuria": ("90.33.4", "Microalbuminuria"),
    "TSH": ("90.42.1", "Tireotropina (TSH)"),
    "Emoglobina": ("90.62.2", "Emocromo"),
}


@dataclass(frozen=True)
class Referral:
    """A periodic specialist visit or exam for a condition."""

    code: str
    name: str
    months: int
    question: str  # the quesito diagnostico


REFERRALS: dict[str, tuple[Referral, ...]] = {
    "diabetes": (
        Referral("89.7", "Visita diabetologica", 12,
                 "Diabete mellito tipo 2 in terapia: controllo annuale e complicanze"),
        Referral("95.09.1", "Esame del fundus oculi", 12,
                 "Diabete mellito tipo 2: screening della retinopatia"),
    ),
    "hypertension": (
        Referral("89.52", "Elettrocardiogramma", 24,
                 "Ipertensione arteriosa: valutazione del danno d'organo"),
    ),
    "heart_failure": (
        Referral("89.7", "Visita cardiologica", 12,
                 "Scompenso cardiaco cronico: rivalutazione clinica e della terapia"),
        Referral("88.72.3", "Ecocolordopplergrafia cardiaca", 24,
                 "Scompenso cardiaco: frazione di eiezione"),
        Referral("89.52", "Elettrocardiogramma", 12, "Scompenso cardiaco: controllo annuale"),
    ),
    "ihd": (
        Referral("89.7", "Visita cardiologica", 12,
                 "Cardiopatia ischemica cronica: follow-up annuale"),
        Referral("89.52", "Elettrocardiogramma", 12, "Cardiopatia ischemica: controllo annuale"),
    ),
    "atrial_fibrillation": (
        Referral("89.52", "Elettrocardiogramma", 12,
                 "Fibrillazione atriale: controllo della frequenza ventricolare"),
    ),
    "copd": (
        Referral("89.37.2", "Spirometria globale", 12, "BPCO: follow-up funzionale annuale"),
        Referral("89.7", "Visita pneumologica", 24, "BPCO: rivalutazione della terapia inalatoria"),
    ),
    "ckd": (
        Referral("89.7", "Visita nefrologica", 12,
                 "Malattia renale cronica: rallentare la progressione"),
    ),
    "breast_cancer": (
        Referral("87.37.1", "Mammografia bilaterale", 12,
                 "Pregressa neoplasia mammaria: follow-up annuale"),
    ),
    "prostate_cancer": (
        Referral("89.7", "Visita urologica", 12, "Neoplasia prostatica: follow-up"),
    ),
}

LAB_QUESTIONS: dict[str, str] = {
    "diabetes": "Monitoraggio del diabete mellito tipo 2",
    "ckd": "Monitoraggio della funzione renale",
    "heart_failure": "Scompenso cardiaco: funzione renale ed elettroliti in terapia",
    "hypertension": "Ipertensione arteriosa: controllo annuale",
    "dyslipidemia": "Controllo dell'assetto lipidico in terapia",
    "ihd": "Cardiopatia ischemica: profilo lipidico e funzione renale",
    "atrial_fibrillation": "Terapia anticoagulante: funzione renale ed emocromo",
    "hypothyroidism": "Ipotiroidismo in terapia sostitutiva: controllo del TSH",
}
ROUTINE_QUESTION = "Controllo ematochimico di routine"
