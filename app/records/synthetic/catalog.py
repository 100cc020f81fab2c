"""What synthetic charts are made of: chronic conditions, drugs, lab and vital codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Drug:
    """A drug as the GP writes it: ATC code, name, dosage."""

    atc: str
    name: str
    dosage: str


@dataclass(frozen=True)
class Condition:
    """A chronic condition: ICD-9-CM code, exemption, prevalence by age, drugs, checks."""

    key: str
    icd9: str
    description: str
    esenzione: str
    esenzione_text: str
    # Prevalence by age band: (minimum age, share of people of that age or older).
    prevalence: tuple[tuple[int, float], ...]
    first_line: tuple[Drug, ...]
    add_on: tuple[Drug, ...]
    labs: tuple[str, ...]  # observation kinds checked periodically
    lab_months: int
    pai_goal: str


@dataclass(frozen=True)
class ObservationKind:
    """A measured quantity: LOINC code, display, unit and plausible bounds."""

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
        ObservationKind("33914-3", "eGFR", "mL/min/1.73m2", 5.0, 130.0, 0),
        ObservationKind("2093-3", "Colesterolo totale", "mg/dL", 100.0, 350.0, 0),
        ObservationKind("2085-9", "Colesterolo HDL", "mg/dL", 20.0, 110.0, 0),
        ObservationKind("13457-7", "Colesterolo LDL", "mg/dL", 30.0, 250.0, 0),
        ObservationKind("2571-8", "Trigliceridi", "mg/dL", 40.0, 500.0, 0),
        ObservationKind("2823-3", "Potassio", "mmol/L", 3.0, 6.2, 1),
        ObservationKind("8480-6", "PA sistolica", "mm[Hg]", 90.0, 220.0, 0),
        ObservationKind("8462-4", "PA diastolica", "mm[Hg]", 50.0, 120.0, 0),
        ObservationKind("8867-4", "Frequenza cardiaca", "/min", 45.0, 130.0, 0),
        ObservationKind("29463-7", "Peso", "kg", 38.0, 160.0, 1),
        ObservationKind("8302-2", "Altezza", "cm", 140.0, 200.0, 0),
        ObservationKind("59408-5", "SpO2", "%", 82.0, 100.0, 0),
        ObservationKind("20150-9", "FEV1", "L", 0.5, 5.0, 2),
        ObservationKind("14959-1", "Microalbuminuria", "mg/g", 2.0, 600.0, 0),
    )
}

LIPIDS = ("Colesterolo totale", "Colesterolo HDL", "Colesterolo LDL", "Trigliceridi")
STATIN = Drug("C10AA05", "Atorvastatina 20 mg compresse", "1 cp la sera")
RAMIPRIL = Drug("C09AA05", "Ramipril 5 mg compresse", "1 cp al mattino")

CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "hypertension", "401.9", "Ipertensione essenziale non specificata",
        "031", "Ipertensione arteriosa con danno d'organo",
        ((0, 0.02), (40, 0.12), (50, 0.25), (60, 0.42), (70, 0.55), (80, 0.62)),
        (RAMIPRIL,),
        (Drug("C08CA01", "Amlodipina 5 mg compresse", "1 cp/die"),
         Drug("C03AA03", "Idroclorotiazide 12,5 mg compresse", "1 cp al mattino")),
        ("Creatinina", "Potassio", *LIPIDS), 12,
        "PA < 140/90 mmHg; riduzione del sale; attività fisica regolare",
    ),
    Condition(
        "diabetes", "250.00",
        "Diabete mellito tipo II senza complicanze, non definito se scompensato",
        "013", "Diabete mellito",
        ((0, 0.004), (40, 0.03), (50, 0.07), (60, 0.12), (70, 0.17), (80, 0.19)),
        (Drug("A10BA02", "Metformina 1000 mg compresse", "1 cp a colazione e a cena"),),
        (STATIN, Drug("A10BH01", "Sitagliptin 100 mg compresse", "1 cp/die"),
         Drug("A10AE04", "Insulina glargine 100 UI/ml penna", "14 UI la sera")),
        ("HbA1c", "Glicemia", "Creatinina", "Microalbuminuria", *LIPIDS), 6,
        "HbA1c <= 7%; fundus oculi annuale; controllo del peso",
    ),
    Condition(
        "copd", "496", "Ostruzioni croniche delle vie respiratorie, non classificate altrove",
        "024", "Insufficienza respiratoria cronica",
        ((0, 0.002), (40, 0.01), (50, 0.03), (60, 0.06), (70, 0.10), (80, 0.13)),
        (Drug("R03BB04", "Tiotropio 18 mcg polvere per inalazione", "1 inalazione/die"),),
        (Drug("R03AK06", "Salmeterolo/fluticasone 50/500 mcg", "1 inalazione x 2/die"),),
        ("FEV1",), 12,
        "Cessazione del fumo; riduzione delle riacutizzazioni; spirometria annuale",
    ),
    Condition(
        "heart_failure", "428.0", "Insufficienza cardiaca congestizia, non specificata",
        "021", "Insufficienza cardiaca (NYHA classe III e IV)",
        ((0, 0.0005), (50, 0.005), (60, 0.015), (70, 0.04), (80, 0.09)),
        (Drug("C03CA01", "Furosemide 25 mg compresse", "1 cp al mattino"),
         Drug("C07AB07", "Bisoprololo 2,5 mg compresse", "1 cp/die")),
        (RAMIPRIL, Drug("C03DA01", "Spironolattone 25 mg compresse", "1 cp/die")),
        ("Creatinina", "Potassio"), 6,
        "Controllo del peso e dei sintomi; aderenza alla terapia; ECG annuale",
    ),
    Condition(
        "ckd", "585", "Insufficienza renale cronica",
        "023", "Insufficienza renale cronica",
        ((0, 0.002), (50, 0.01), (60, 0.03), (70, 0.07), (80, 0.12)),
        (), (Drug("H05BX02", "Paricalcitolo 1 mcg capsule", "1 cps/die"),),
        ("Creatinina", "eGFR", "Potassio", "Microalbuminuria"), 6,
        "Rallentare la progressione; evitare farmaci nefrotossici",
    ),
)
CONDITION_BY_KEY: dict[str, Condition] = {c.key: c for c in CONDITIONS}


@dataclass(frozen=True)
class AcuteEpisode:
    """A short illness seen by the GP, with what was said, found and prescribed."""

    icd9: str
    description: str
    subjective: str
    objective: str
    drug: Drug | None


ACUTE_EPISODES: tuple[AcuteEpisode, ...] = (
    AcuteEpisode("462", "Faringite acuta", "Mal di gola e febbre da due giorni.",
                 "Faringe iperemica, non essudato. T 37,8 °C.",
                 Drug("N02BE01", "Paracetamolo 1000 mg compresse", "1 cp al bisogno, max 3/die")),
    AcuteEpisode("466.0", "Bronchite acuta", "Tosse produttiva da una settimana.",
                 "Ronchi sparsi, MV presente. SpO2 97%.",
                 Drug("J01CA04", "Amoxicillina 1 g compresse", "1 cp x 3/die per 6 giorni")),
    AcuteEpisode("724.2", "Lombalgia", "Dolore lombare dopo sforzo, senza irradiazione.",
                 "Contrattura paravertebrale, Lasègue negativo.",
                 Drug("M01AE01", "Ibuprofene 600 mg compresse", "1 cp x 2/die dopo i pasti")),
    AcuteEpisode("595.0", "Cistite acuta", "Bruciore minzionale e pollachiuria.",
                 "Addome trattabile, Giordano negativo.",
                 Drug("J01XX01", "Fosfomicina 3 g granulato", "1 bustina la sera")),
    AcuteEpisode("487.1", "Influenza", "Febbre alta, artromialgie, cefalea.",
                 "T 38,6 °C, obiettività toracica negativa.",
                 Drug("N02BE01", "Paracetamolo 1000 mg compresse", "1 cp al bisogno, max 3/die")),
    AcuteEpisode("477.9", "Rinite allergica", "Starnuti e rinorrea in primavera.",
                 "Mucosa nasale pallida ed edematosa.",
                 Drug("R06AE07", "Cetirizina 10 mg compresse", "1 cp la sera")),
    AcuteEpisode("780.4", "Vertigini", "Vertigine soggettiva ai cambi di posizione.",
                 "Nistagmo assente, Romberg negativo.", None),
)

ALLERGIES: tuple[tuple[str, str | None, str, str, str], ...] = (
    # substance, ATC, kind, reaction, criticality
    ("Amoxicillina", "J01CA04", "allergy", "Orticaria generalizzata", "high"),
    ("Acido acetilsalicilico", "N02BA01", "allergy", "Broncospasmo", "high"),
    ("Mezzo di contrasto iodato", "V08AB", "allergy", "Eritema e prurito", "high"),
    ("Lattosio", None, "intolerance", "Meteorismo e diarrea", "low"),
    ("Nichel", None, "allergy", "Dermatite da contatto", "low"),
    ("Pollini di graminacee", None, "allergy", "Rinocongiuntivite stagionale", "low"),
    ("Ketoprofene", "M01AE03", "allergy", "Fotodermatite", "low"),
)

FOLLOW_UP_PHRASES: tuple[str, ...] = (
    "Sta bene, nessun disturbo riferito.",
    "Riferisce lieve astenia nelle ultime settimane.",
    "Buona aderenza alla terapia, nessun effetto collaterale.",
    "Riferisce dispnea da sforzo invariata.",
    "Occasionale dimenticanza della terapia serale.",
    "Porta in visione gli esami ematochimici.",
    "Sonno disturbato, umore buono.",
)
PLAN_PHRASES: tuple[str, ...] = (
    "Prosegue terapia in atto. Controllo tra 3 mesi.",
    "Rinnovo terapia cronica. Esami ematochimici prima del prossimo controllo.",
    "Rinforzo consigli dietetici e attività fisica. Controllo tra 4 mesi.",
    "Prosegue terapia; controllo pressorio domiciliare.",
)
