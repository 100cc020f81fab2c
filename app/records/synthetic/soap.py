"""The words of synthetic visits: what the patient says, what the GP finds and decides."""

from __future__ import annotations

import random

from app.records.synthetic.conditions import CONDITION_BY_KEY

SUBJECTIVE: dict[str, tuple[str, ...]] = {
    "hypertension": ("PA domiciliare riferita tra 125 e 140 mmHg di sistolica.",
                     "Non cefalea né cardiopalmo.",
                     "Riferisce buona aderenza alla terapia antipertensiva."),
    "diabetes": ("Glicemie capillari a digiuno tra 110 e 150 mg/dL.",
                 "Nega episodi ipoglicemici.", "Segue la dieta con qualche strappo."),
    "copd": ("Dispnea per sforzi moderati, invariata.",
             "Nessuna riacutizzazione dall'ultimo controllo.",
             "Tosse mattutina con escreato mucoso."),
    "heart_failure": ("Non ortopnea né dispnea parossistica notturna.",
                      "Peso domiciliare stabile.", "Dispnea dopo due rampe di scale."),
    "ckd": ("Diuresi conservata.", "Evita i FANS come indicato."),
    "ihd": ("Nessun episodio di dolore toracico.", "Cammina 30 minuti al giorno senza sintomi."),
    "atrial_fibrillation": ("Non cardiopalmo.", "Nessun sanguinamento in corso di "
                            "anticoagulante."),
    "dyslipidemia": ("Buona tolleranza alla statina, non mialgie.",),
    "hypothyroidism": ("Non astenia né intolleranza al freddo.",),
    "depression": ("Umore migliorato, sonno regolare.",),
    "gerd": ("Pirosi saltuaria dopo pasti abbondanti.",),
    "bph": ("Nicturia una o due volte per notte.",),
    "osteoporosis": ("Nessuna caduta, assume regolarmente la vitamina D.",),
    "osteoarthritis": ("Dolore al ginocchio dopo lunghe camminate.",),
    "asthma": ("Usa il salbutamolo meno di due volte alla settimana.",),
}
GENERAL_SUBJECTIVE = (
    "Sta bene, nessun disturbo riferito.",
    "Riferisce lieve astenia nelle ultime settimane.",
    "Porta in visione gli esami ematochimici.",
    "Sonno disturbato, umore buono.",
)
DIAGNOSIS_SUBJECTIVE: dict[str, str] = {
    "hypertension": "Riscontro di valori pressori elevati al domicilio (fino a 160/95 mmHg).",
    "diabetes": "Porta in visione esami con glicemia a digiuno di 142 mg/dL e HbA1c 7,6%.",
    "dyslipidemia": "Porta in visione esami con colesterolo totale e LDL elevati.",
    "copd": "Tosse ed espettorazione mattutina da anni, dispnea da sforzo ingravescente; "
            "fumatore di lunga data.",
    "heart_failure": "Dispnea da sforzo ingravescente ed edemi declivi serotini.",
    "ckd": "Riscontro di creatinina aumentata e albuminuria agli esami di controllo.",
    "ihd": "Rientra dopo il ricovero in cardiologia per sindrome coronarica acuta.",
    "atrial_fibrillation": "Cardiopalmo irregolare da alcuni giorni.",
    "hypothyroidism": "Astenia e intolleranza al freddo; TSH elevato agli esami.",
    "gerd": "Pirosi retrosternale e rigurgito acido, peggiori dopo i pasti.",
    "bph": "Pollachiuria notturna e mitto ipovalido.",
    "osteoporosis": "Porta in visione la densitometria ossea con T-score di -2,8 a livello "
                    "lombare.",
    "osteoarthritis": "Dolore meccanico al ginocchio e rigidità mattutina di pochi minuti.",
    "depression": "Umore deflesso, anedonia e insonnia da circa due mesi.",
    "anxiety": "Ansia persistente, tensione muscolare e difficoltà di concentrazione.",
    "asthma": "Episodi di dispnea sibilante e tosse notturna, peggiori in primavera.",
    "migraine": "Cefalea pulsante con nausea e fotofobia, tre o quattro episodi al mese.",
    "allergic_rhinitis": "Starnuti, rinorrea e prurito oculare in primavera.",
    "gout": "Dolore acuto e tumefazione della prima articolazione metatarso-falangea.",
    "breast_cancer": "Rientra dopo l'intervento di quadrantectomia; porta la lettera di "
                     "dimissione.",
    "prostate_cancer": "Porta in visione il PSA elevato e l'esito positivo della biopsia "
                       "prostatica.",
    "obesity": "Chiede aiuto per perdere peso.",
}
DIAGNOSIS_DEFAULT = "Riferisce disturbi da alcune settimane; porta in visione gli accertamenti."
EXAMINATION: dict[str, str] = {
    "atrial_fibrillation": "Toni cardiaci aritmici, non soffi.",
    "heart_failure": "Non turgore giugulare, non edemi declivi, non rantoli alle basi.",
    "copd": "Murmure vescicolare ridotto diffusamente, espirio prolungato, non sibili.",
    "diabetes": "Polsi pedidii presenti, sensibilità al monofilamento conservata.",
}
NORMAL_EXAMINATION = "Toni cardiaci validi e ritmici, pause libere. MV presente su tutto l'ambito."
CHECK_UP_SUBJECTIVE = (
    "Viene per un controllo generale, sta bene.",
    "Chiede un controllo della pressione e degli esami.",
    "Nessun disturbo; chiede consigli su alimentazione e attività fisica.",
    "Viene per il rinnovo del certificato di idoneità all'attività sportiva non agonistica.",
)
HEALTHY_PLANS = (
    "Consigli su alimentazione equilibrata e attività fisica regolare. Controllo tra un anno.",
    "Nessuna terapia. Rinforzati i consigli sullo stile di vita.",
    "Consigliati gli screening previsti per età. Controllo al bisogno.",
)
PLANS = (
    "Prosegue la terapia in atto. Controllo tra 3 mesi.",
    "Prosegue la terapia in atto. Rinforzati i consigli su dieta e attività fisica.",
    "Prosegue la terapia; controllo pressorio domiciliare.",
    "Prosegue la terapia in atto. Controllo tra 4 mesi con gli esami.",
)
NURSING_PLANS = (
    "Educazione terapeutica sull'uso dei farmaci; rilevazione dei parametri.",
    "Verificata la tecnica inalatoria e l'aderenza alla terapia.",
    "Controllo dei parametri; consegnato il diario pressorio e glicemico.",
)


def _decimal(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def vitals_text(values: dict[str, float]) -> str:
    """The vitals as a GP writes them: "PA 135/80 mmHg, FC 72 bpm, peso 78,4 kg"."""
    parts = [f"PA {values['PA sistolica']:.0f}/{values['PA diastolica']:.0f} mmHg"]
    if "Frequenza cardiaca" in values:
        parts.append(f"FC {values['Frequenza cardiaca']:.0f} bpm")
    if "Peso" in values:
        parts.append(f"peso {_decimal(values['Peso'])} kg")
    if "Altezza" in values:
        parts.append(f"altezza {values['Altezza']:.0f} cm")
    if "SpO2" in values:
        parts.append(f"SpO2 {values['SpO2']:.0f}% in aria ambiente")
    if "Temperatura" in values:
        parts.append(f"TC {_decimal(values['Temperatura'])} °C")
    return ", ".join(parts) + "."


def subjective(rng: random.Random, keys: list[str]) -> str:
    """One or two things the patient says about their conditions."""
    phrases = [p for key in keys for p in SUBJECTIVE.get(key, ())]
    if not phrases:
        return rng.choice(GENERAL_SUBJECTIVE)
    picked = rng.sample(phrases, min(2, len(phrases)))
    return " ".join(picked)


def objective(values: dict[str, float], keys: list[str]) -> str:
    """Vitals, then the examination the conditions call for."""
    exam = next((EXAMINATION[k] for k in keys if k in EXAMINATION), NORMAL_EXAMINATION)
    return f"{vitals_text(values)} {exam}"


def assessment(keys: list[str], values: dict[str, float], last: dict[str, float]) -> str:
    """Each managed condition with how well it is controlled."""
    parts: list[str] = []
    for key in keys:
        label = CONDITION_BY_KEY[key].label
        if key == "hypertension" and "PA sistolica" not in values:
            parts.append(f"{label}: PA domiciliare riferita nella norma")
        elif key == "hypertension":
            controlled = values["PA sistolica"] < 140 and values["PA diastolica"] < 90
            state = "buon compenso pressorio" if controlled else "compenso pressorio non ottimale"
            parts.append(f"{label}: {state}")
        elif key == "diabetes" and "HbA1c" in last:
            quality = "buon compenso" if last["HbA1c"] <= 7.0 else "compenso non ottimale"
            parts.append(f"{label}: {quality} (ultima HbA1c {_decimal(last['HbA1c'])}%)")
        elif key == "ckd" and "eGFR" in last:
            parts.append(f"{label}: ultimo eGFR {last['eGFR']:.0f} mL/min/1,73 m²")
        else:
            parts.append(f"{label}: quadro stabile")
    return ". ".join(parts) + "."


def plan(rng: random.Random, ordered: list[str], referred: list[str], renewed: bool, *,
         on_therapy: bool = True) -> str:
    """What was decided: the usual advice, what was ordered, what was renewed."""
    text = rng.choice(PLANS if on_therapy else HEALTHY_PLANS)
    if ordered:
        text += " Richiesti: " + ", ".join(ordered) + "."
    if referred:
        text += " Impegnativa per: " + ", ".join(referred) + "."
    if renewed:
        text += " Rinnovata la terapia cronica."
    return text


def diagnosis_plan(started: list[str]) -> str:
    """What a new diagnosis leads to: the therapy started, or advice and a review."""
    if started:
        return "Impostata terapia: " + "; ".join(started) + ". Controllo tra un mese."
    return "Consigli sullo stile di vita; rivalutazione tra tre mesi."
