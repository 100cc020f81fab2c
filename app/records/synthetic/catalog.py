"""What synthetic charts measure and what brings people to the GP: LOINC kinds, acute
illnesses, allergies."""

from __future__ import annotations

from dataclasses import dataclass

from app.records.synthetic import drugs as d
from app.records.synthetic.conditions import LIPIDS
from app.records.synthetic.drugs import Drug

__all__ = ["ACUTE_EPISODES", "ALLERGIES", "LIPIDS", "OBSERVATION_KINDS", "AcuteEpisode",
           "ObservationKind"]


@dataclass(frozen=True)
class ObservationKind:
    """A measured quantity: LOINC code, display, unit (UCUM) and plausible bounds."""

    code: str
    display: str
    unit: str
    low: float
    high: float
    digits: int


OBSERVATION_KINDS: dict[str, ObservationKind] = {
    k.display: k
    for k in (
        ObservationKind("4548-4", "HbA1c", "%", 4.0, 14.0, 1),
        ObservationKind("2345-7", "Glicemia", "mg/dL", 55.0, 400.0, 0),
        ObservationKind("2160-0", "Creatinina", "mg/dL", 0.4, 8.0, 2),
        # eGFR by creatinine (the labs report it with every creatinine; CKD-EPI here).
        ObservationKind("33914-3", "eGFR", "mL/min/1.73m2", 5.0, 130.0, 0),
        ObservationKind("2093-3", "Colesterolo totale", "mg/dL", 100.0, 350.0, 0),
        ObservationKind("2085-9", "Colesterolo HDL", "mg/dL", 20.0, 110.0, 0),
        ObservationKind("13457-7", "Colesterolo LDL", "mg/dL", 30.0, 250.0, 0),
        ObservationKind("2571-8", "Trigliceridi", "mg/dL", 40.0, 500.0, 0),
        ObservationKind("2823-3", "Potassio", "mmol/L", 3.0, 6.2, 1),
        ObservationKind("718-7", "Emoglobina", "g/dL", 7.0, 18.0, 1),
        ObservationKind("3016-3", "TSH", "mU/L", 0.05, 20.0, 2),
        ObservationKind("8480-6", "PA sistolica", "mm[Hg]", 90.0, 220.0, 0),
        ObservationKind("8462-4", "PA diastolica", "mm[Hg]", 50.0, 120.0, 0),
        ObservationKind("8867-4", "Frequenza cardiaca", "/min", 45.0, 130.0, 0),
        ObservationKind("29463-7", "Peso", "kg", 38.0, 160.0, 1),
        ObservationKind("8302-2", "Altezza", "cm", 140.0, 200.0, 0),
        ObservationKind("59408-5", "SpO2", "%", 82.0, 100.0, 0),
        ObservationKind("8310-5", "Temperatura", "Cel", 35.5, 40.5, 1),
        ObservationKind("20150-9", "FEV1", "L", 0.5, 5.0, 2),
        ObservationKind("14959-1", "Microalbuminuria", "mg/g", 2.0, 600.0, 0),
    )
}


@dataclass(frozen=True)
class AcuteEpisode:
    """A short illness seen by the GP: what was said, found and prescribed, and who gets it."""

    icd9: str
    description: str
    subjective: str
    objective: str
    drug: Drug | None
    sex: str | None = None  # "F" or "M" when only one sex gets it
    fever: float | None = None  # the temperature measured, when feverish
    respiratory: bool = False  # SpO2 measured


ACUTE_EPISODES: tuple[AcuteEpisode, ...] = (
    AcuteEpisode("462", "Faringite acuta", "Mal di gola e febbricola da due giorni.",
                 "Faringe iperemica, non essudato, linfonodi laterocervicali non aumentati.",
                 d.PARACETAMOL, fever=37.8),
    AcuteEpisode("034.0", "Angina streptococcica", "Febbre alta e forte mal di gola.",
                 "Tonsille ipertrofiche con essudato, test rapido per streptococco positivo.",
                 d.AMOXICILLIN, fever=38.7),
    AcuteEpisode("466.0", "Bronchite acuta", "Tosse produttiva da una settimana, non dispnea.",
                 "Ronchi sparsi, murmure vescicolare presente.", d.ACETYLCYSTEINE,
                 respiratory=True),
    AcuteEpisode("461.9", "Sinusite acuta", "Cefalea frontale e rinorrea purulenta da 10 giorni.",
                 "Dolorabilità alla pressione dei seni mascellari.", d.AMOXICILLIN_CLAVULANATE,
                 fever=37.6),
    AcuteEpisode("460", "Rinofaringite acuta", "Raffreddore e mal di gola da tre giorni.",
                 "Rinorrea sierosa, faringe lievemente iperemica.", d.PARACETAMOL),
    AcuteEpisode("487.1", "Influenza", "Febbre alta, artromialgie e cefalea da due giorni.",
                 "Obiettività toracica negativa.", d.PARACETAMOL, fever=38.6,
                 respiratory=True),
    AcuteEpisode("724.2", "Lombalgia", "Dolore lombare dopo uno sforzo, senza irradiazione.",
                 "Contrattura paravertebrale, Lasègue negativo bilateralmente.", d.IBUPROFEN),
    AcuteEpisode("845.00", "Distorsione della caviglia", "Trauma distorsivo della caviglia "
                 "destra giocando a calcetto.", "Tumefazione perimalleolare esterna, carico "
                 "possibile (regole di Ottawa negative).", d.IBUPROFEN),
    AcuteEpisode("595.0", "Cistite acuta", "Bruciore minzionale e pollachiuria da ieri.",
                 "Addome trattabile, Giordano negativo bilateralmente.", d.FOSFOMYCIN, sex="F"),
    AcuteEpisode("009.0", "Gastroenterite acuta", "Diarrea e crampi addominali da un giorno.",
                 "Addome trattabile, peristalsi vivace, mucose idratate.", d.LOPERAMIDE),
    AcuteEpisode("372.00", "Congiuntivite acuta", "Occhio rosso con secrezione da due giorni.",
                 "Iperemia congiuntivale con secrezione mucopurulenta, visus conservato.",
                 d.TOBRAMYCIN_DROPS),
    AcuteEpisode("692.9", "Dermatite", "Eruzione pruriginosa agli avambracci.",
                 "Chiazze eritematose e desquamanti, non segni di sovrainfezione.",
                 d.BETAMETHASONE_CREAM),
    AcuteEpisode("380.4", "Tappo di cerume", "Ipoacusia all'orecchio destro da alcuni giorni.",
                 "Tappo di cerume occludente il condotto uditivo esterno destro.", None),
    AcuteEpisode("784.0", "Cefalea", "Cefalea tensiva serale nelle ultime settimane.",
                 "Esame neurologico nella norma.", d.PARACETAMOL),
    AcuteEpisode("780.4", "Stordimento e capogiro", "Vertigine soggettiva ai cambi di posizione.",
                 "Nistagmo assente, Romberg negativo.", None),
)

# substance, ATC (class or drug), kind, reaction, criticality
ALLERGIES: tuple[tuple[str, str | None, str, str, str], ...] = (
    ("Amoxicillina", "J01CA04", "allergy", "Orticaria generalizzata", "high"),
    ("Acido acetilsalicilico", "N02BA01", "allergy", "Broncospasmo", "high"),
    ("Mezzo di contrasto iodato", "V08AB", "allergy", "Eritema e prurito", "high"),
    ("Lattosio", None, "intolerance", "Meteorismo e diarrea", "low"),
    ("Nichel", None, "allergy", "Dermatite da contatto", "low"),
    ("Pollini di graminacee", None, "allergy", "Rinocongiuntivite stagionale", "low"),
    ("Ketoprofene", "M01AE03", "allergy", "Fotodermatite", "low"),
    ("Cotrimoxazolo", "J01EE01", "allergy", "Esantema maculo-papulare", "high"),
)
NO_KNOWN_ALLERGY = "nessuna allergia nota"
