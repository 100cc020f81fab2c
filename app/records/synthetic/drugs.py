"""The drugs of synthetic charts: real ATC codes, a few real AIFA packs, Italian posology.

Most therapies are written by active ingredient (the law asks it of a new chronic
therapy, and it is how most Italian GPs prescribe); some by product. A product carries
its AIC and AIFA equivalence group only where the pack is known for certain: the AIFA
list of equivalent medicines gives neither strength nor pack size, so each group used
here was matched to its strength through the originator's pack published in the
Gazzetta Ufficiale (e.g. GLUCOPHAGE 1000 mg 60 compresse, AIC 017758069, group A1C);
every other product of that group is the same strength and size by definition.
"""

from __future__ import annotations

from dataclasses import dataclass

DAILY = "1 volta al giorno"
TWICE = "2 volte al giorno"
THRICE = "3 volte al giorno"
WEEKLY = "1 volta alla settimana"
AS_NEEDED = "al bisogno"


@dataclass(frozen=True)
class Drug:
    """A drug as the GP writes it: ATC code, name, posology; AIC and group for a product."""

    atc: str
    name: str  # product or active ingredient, strength and form
    dosage: str  # how much each time, and when
    frequency: str = DAILY
    route: str = "orale"
    aic: str | None = None  # 9 digits: one pack
    group: str | None = None  # AIFA equivalence group of the pack

    @property
    def atc_class(self) -> str:
        """ATC level 4 (chemical subgroup): the class of a duplicate-therapy check."""
        return self.atc[:5]


def _tab(atc: str, name: str, dosage: str = "1 compressa", frequency: str = DAILY) -> Drug:
    return Drug(atc, name, dosage, frequency)


def _pack(atc: str, name: str, aic: str, group: str, dosage: str = "1 compressa", *,
          frequency: str = DAILY) -> Drug:
    return Drug(atc, name, dosage, frequency, "orale", aic, group)


# -- hypertension -------------------------------------------------------------------------
RAMIPRIL_5 = (
    _pack("C09AA05", "TRIATEC 5 mg compresse", "027161064", "DRA", "1 compressa al mattino"),
    _pack("C09AA05", "ECLIPSE 5 mg compresse", "038271021", "DRA", "1 compressa al mattino"),
    _tab("C09AA05", "Ramipril 5 mg compresse", "1 compressa al mattino"),
)
RAMIPRIL_2_5 = (
    _pack("C09AA05", "TRIATEC 2,5 mg compresse", "027161052", "DRB", "1 compressa al mattino"),
    _tab("C09AA05", "Ramipril 2,5 mg compresse", "1 compressa al mattino"),
)
RAMIPRIL_10 = (
    _pack("C09AA05", "TRIATEC 10 mg compresse", "027161076", "DRC", "1 compressa al mattino"),
)
ACE_INHIBITORS = (
    *RAMIPRIL_5,
    _tab("C09AA02", "Enalapril 20 mg compresse", "1 compressa al mattino"),
    _tab("C09AA04", "Perindopril arginina 5 mg compresse", "1 compressa al mattino"),
    _tab("C09AA03", "Lisinopril 20 mg compresse", "1 compressa al mattino"),
)
SARTANS = (
    _tab("C09CA01", "Losartan 50 mg compresse"),
    _tab("C09CA03", "Valsartan 160 mg compresse"),
    _tab("C09CA08", "Olmesartan medoxomil 20 mg compresse"),
    _tab("C09CA04", "Irbesartan 150 mg compresse"),
    _tab("C09CA07", "Telmisartan 40 mg compresse"),
    _tab("C09CA06", "Candesartan 8 mg compresse"),
)
AMLODIPINE = (
    _pack("C08CA01", "AMLODIPINA DOC GENERICI 5 mg compresse", "038092019", "DOB"),
    _pack("C08CA01", "ABIS 5 mg compresse", "038038016", "DOB"),
    _tab("C08CA01", "Amlodipina 5 mg compresse"),
    _pack("C08CA01", "AMLODIPINA DOC GENERICI 10 mg compresse", "038092021", "DOA"),
)
CALCIUM_BLOCKERS = (*AMLODIPINE, _tab("C08CA13", "Lercanidipina 10 mg compresse"))
THIAZIDES = (
    _tab("C03AA03", "Idroclorotiazide 25 mg compresse", "1/2 compressa al mattino"),
    _tab("C03BA04", "Clortalidone 25 mg compresse", "1/2 compressa al mattino"),
    _tab("C03BA11", "Indapamide 1,5 mg compresse a rilascio prolungato",
         "1 compressa al mattino"),
)
# Fixed combinations: (the combination, the ATC codes it replaces).
COMBINATIONS: tuple[tuple[Drug, frozenset[str]], ...] = (
    (_tab("C09BA05", "Ramipril/idroclorotiazide 5/25 mg compresse", "1 compressa al mattino"),
     frozenset({"C09AA05", "C03AA03"})),
    (_tab("C09DA01", "Losartan/idroclorotiazide 50/12,5 mg compresse"),
     frozenset({"C09CA01", "C03AA03"})),
    (_tab("C09DA03", "Valsartan/idroclorotiazide 160/12,5 mg compresse"),
     frozenset({"C09CA03", "C03AA03"})),
    (_tab("C09DA08", "Olmesartan/idroclorotiazide 20/12,5 mg compresse"),
     frozenset({"C09CA08", "C03AA03"})),
    (_tab("C09BB04", "Perindopril/amlodipina 5/5 mg compresse"),
     frozenset({"C09AA04", "C08CA01"})),
    (_tab("C09DB01", "Valsartan/amlodipina 160/5 mg compresse"),
     frozenset({"C09CA03", "C08CA01"})),
)
BETA_BLOCKERS = (
    _tab("C07AB07", "Bisoprololo 2,5 mg compresse"),
    _tab("C07AB07", "Bisoprololo 5 mg compresse"),
    _tab("C07AB12", "Nebivololo 5 mg compresse"),
    _tab("C07AB02", "Metoprololo 100 mg compresse", "1/2 compressa", TWICE),
)
CARVEDILOL = _tab("C07AG02", "Carvedilolo 6,25 mg compresse", "1 compressa", TWICE)

# -- heart failure, ischaemic heart disease, atrial fibrillation ----------------------------
FUROSEMIDE = _tab("C03CA01", "Furosemide 25 mg compresse", "1 compressa al mattino")
SPIRONOLACTONE = _tab("C03DA01", "Spironolattone 25 mg compresse")
EPLERENONE = _tab("C03DA04", "Eplerenone 25 mg compresse")
SACUBITRIL_VALSARTAN = _tab("C09DX04", "Sacubitril/valsartan 49/51 mg compresse",
                            "1 compressa", TWICE)
ASPIRIN = _pack("B01AC06", "CARDIOASPIRIN 100 mg compresse gastroresistenti", "024840074",
                "H4B", "1 compressa dopo pranzo")
CLOPIDOGREL = _tab("B01AC04", "Clopidogrel 75 mg compresse")
ANTICOAGULANTS = (
    _tab("B01AF02", "Apixaban 5 mg compresse", "1 compressa", TWICE),
    _tab("B01AF03", "Edoxaban 60 mg compresse"),
    _tab("B01AF01", "Rivaroxaban 20 mg compresse", "1 compressa a cena"),
)
APIXABAN_LOW = _tab("B01AF02", "Apixaban 2,5 mg compresse", "1 compressa", TWICE)

# -- lipids ---------------------------------------------------------------------------------
ATORVASTATIN_20 = (
    _pack("C10AA05", "TORVAST 20 mg compresse rivestite", "033007042", "FTB",
          "1 compressa la sera"),
    _pack("C10AA05", "ATORVASTATINA DOC 20 mg compresse rivestite", "041321098", "FTB",
          "1 compressa la sera"),
    _tab("C10AA05", "Atorvastatina 20 mg compresse", "1 compressa la sera"),
)
ATORVASTATIN_40 = (
    _pack("C10AA05", "TORVAST 40 mg compresse rivestite", "033007067", "FTC",
          "1 compressa la sera"),
    _pack("C10AA05", "ATORVASTATINA DOC 40 mg compresse rivestite", "041321151", "FTC",
          "1 compressa la sera"),
)
STATINS = (
    *ATORVASTATIN_20,
    _pack("C10AA05", "ATORVASTATINA DOC 10 mg compresse rivestite", "041321035", "FTA",
          "1 compressa la sera"),
    _tab("C10AA07", "Rosuvastatina 10 mg compresse", "1 compressa la sera"),
    _tab("C10AA01", "Simvastatina 20 mg compresse", "1 compressa la sera"),
)
HIGH_INTENSITY_STATINS = (*ATORVASTATIN_40,
                          _tab("C10AA07", "Rosuvastatina 20 mg compresse", "1 compressa la sera"))
EZETIMIBE = _tab("C10AX09", "Ezetimibe 10 mg compresse")

# -- diabetes -------------------------------------------------------------------------------
METFORMIN = (
    _pack("A10BA02", "GLUCOPHAGE 1000 mg compresse rivestite", "017758069", "A1C",
          "1 compressa a colazione e a cena", frequency=TWICE),
    _pack("A10BA02", "METFONORM 1000 mg compresse rivestite", "035215033", "A1C",
          "1 compressa a colazione e a cena", frequency=TWICE),
    _pack("A10BA02", "METFORMINA DOC 1000 mg compresse rivestite", "047302056", "A1C",
          "1 compressa a colazione e a cena", frequency=TWICE),
    _tab("A10BA02", "Metformina 850 mg compresse", "1 compressa a pranzo e a cena", TWICE),
)
# The dose a GP halves to when the eGFR falls below 45 (one tablet a day).
METFORMIN_RENAL = _pack("A10BA02", "GLUCOPHAGE 1000 mg compresse rivestite", "017758069",
                        "A1C", "1 compressa a cena")
SGLT2 = (
    _tab("A10BK03", "Empagliflozin 10 mg compresse"),
    _tab("A10BK01", "Dapagliflozin 10 mg compresse"),
)
GLP1 = (
    Drug("A10BJ06", "Semaglutide 1 mg soluzione iniettabile in penna preriempita",
         "1 iniezione", WEEKLY, "sottocutanea"),
    Drug("A10BJ05", "Dulaglutide 1,5 mg soluzione iniettabile in penna preriempita",
         "1 iniezione", WEEKLY, "sottocutanea"),
)
DPP4 = (
    _tab("A10BH01", "Sitagliptin 100 mg compresse"),
    _tab("A10BH05", "Linagliptin 5 mg compresse"),
)
GLICLAZIDE = _tab("A10BB09", "Gliclazide 30 mg compresse a rilascio modificato",
                  "1 compressa a colazione")
INSULIN_GLARGINE = Drug("A10AE04", "Insulina glargine 100 U/mL penna preriempita",
                        "14 unità la sera", DAILY, "sottocutanea")

# -- respiratory ----------------------------------------------------------------------------
COPD_FIRST = (
    Drug("R03BB04", "Tiotropio 18 mcg polvere per inalazione, capsule rigide",
         "1 inalazione", DAILY, "inalatoria"),
    Drug("R03AL03", "Umeclidinio/vilanterolo 55/22 mcg polvere per inalazione",
         "1 inalazione", DAILY, "inalatoria"),
    Drug("R03AL04", "Indacaterolo/glicopirronio 85/43 mcg polvere per inalazione",
         "1 inalazione", DAILY, "inalatoria"),
)
COPD_ADD = Drug("R03AK08", "Beclometasone/formoterolo 100/6 mcg soluzione pressurizzata",
                "2 inalazioni", TWICE, "inalatoria")
SALBUTAMOL = Drug("R03AC02", "Salbutamolo 100 mcg sospensione pressurizzata",
                  "2 inalazioni", AS_NEEDED, "inalatoria")
ASTHMA_CONTROLLER = Drug("R03AK07", "Budesonide/formoterolo 160/4,5 mcg polvere per "
                         "inalazione", "1 inalazione", TWICE, "inalatoria")

# -- other chronic conditions ---------------------------------------------------------------
LEVOTHYROXINE = (
    _tab("H03AA01", "Levotiroxina sodica 50 mcg compresse", "1 compressa al mattino a digiuno"),
    _tab("H03AA01", "Levotiroxina sodica 75 mcg compresse", "1 compressa al mattino a digiuno"),
    _tab("H03AA01", "Levotiroxina sodica 100 mcg compresse", "1 compressa al mattino a digiuno"),
)
PPI = (
    _tab("A02BC02", "Pantoprazolo 20 mg compresse gastroresistenti",
         "1 compressa prima di colazione"),
    _tab("A02BC01", "Omeprazolo 20 mg capsule rigide gastroresistenti",
         "1 capsula prima di colazione"),
)
TAMSULOSIN = _tab("G04CA02", "Tamsulosina 0,4 mg capsule rigide a rilascio modificato",
                  "1 capsula dopo colazione")
ALENDRONATE = _tab("M05BA04", "Acido alendronico 70 mg compresse",
                   "1 compressa a digiuno con un bicchiere d'acqua", WEEKLY)
COLECALCIFEROL = Drug("A11CC05", "Colecalciferolo 25.000 UI soluzione orale",
                      "1 flaconcino", "ogni 15 giorni")
SSRI = (
    _tab("N06AB06", "Sertralina 50 mg compresse"),
    _tab("N06AB10", "Escitalopram 10 mg compresse"),
)
ALLOPURINOL = _tab("M04AA01", "Allopurinolo 300 mg compresse", "1 compressa dopo pranzo")
ALLOPURINOL_RENAL = _tab("M04AA01", "Allopurinolo 100 mg compresse", "1 compressa dopo pranzo")
AROMATASE_INHIBITORS = (
    _tab("L02BG03", "Anastrozolo 1 mg compresse"),
    _tab("L02BG04", "Letrozolo 2,5 mg compresse"),
)
LEUPRORELIN = Drug("L02AE02", "Leuprorelina 11,25 mg polvere e solvente per sospensione "
                   "iniettabile", "1 fiala", "ogni 3 mesi", "sottocutanea")
PARACALCITOL = Drug("H05BX02", "Paricalcitolo 1 mcg capsule molli", "1 capsula", DAILY)
PARACETAMOL = _tab("N02BE01", "Paracetamolo 1000 mg compresse", "1 compressa, massimo 3 al giorno",
                   AS_NEEDED)
SUMATRIPTAN = _tab("N02CC01", "Sumatriptan 50 mg compresse", "1 compressa all'esordio della "
                   "crisi", AS_NEEDED)
FOLIC_ACID = _tab("B03BB01", "Acido folico 400 mcg compresse")
CETIRIZINE = _tab("R06AE07", "Cetirizina 10 mg compresse", "1 compressa la sera")
NASAL_STEROID = Drug("R01AD12", "Fluticasone furoato 27,5 mcg spray nasale",
                     "2 spruzzi per narice", DAILY, "nasale")

# -- acute illness --------------------------------------------------------------------------
AMOXICILLIN = _tab("J01CA04", "Amoxicillina 1 g compresse", "1 compressa per 6 giorni", THRICE)
AMOXICILLIN_CLAVULANATE = _tab("J01CR02", "Amoxicillina/acido clavulanico 875/125 mg "
                               "compresse", "1 compressa per 6 giorni", TWICE)
AZITHROMYCIN = _tab("J01FA10", "Azitromicina 500 mg compresse", "1 compressa per 3 giorni")
IBUPROFEN = _tab("M01AE01", "Ibuprofene 600 mg compresse", "1 compressa dopo i pasti", TWICE)
FOSFOMYCIN = Drug("J01XX01", "Fosfomicina 3 g granulato per soluzione orale",
                  "1 bustina la sera a vescica vuota", "dose unica")
ACETYLCYSTEINE = Drug("R05CB01", "Acetilcisteina 600 mg granulato per soluzione orale",
                      "1 bustina", DAILY)
LOPERAMIDE = _tab("A07DA03", "Loperamide 2 mg capsule rigide", "1 capsula dopo ogni scarica, "
                  "massimo 6 al giorno", AS_NEEDED)
BETAMETHASONE_CREAM = Drug("D07AC01", "Betametasone valerato 0,1% crema",
                           "applicare uno strato sottile", TWICE, "topica")
TOBRAMYCIN_DROPS = Drug("S01AA12", "Tobramicina 0,3% collirio", "1 goccia per occhio",
                        "4 volte al giorno", "oftalmica")
# A substitute when the patient is allergic to the drug's class (ATC level 4).
ALTERNATIVES = {"J01CA": AZITHROMYCIN, "J01CR": AZITHROMYCIN, "M01AE": PARACETAMOL,
                "M01AB": PARACETAMOL, "N02BA": PARACETAMOL}

# Drugs no adolescent in a GP's list takes for a chronic adult condition.
ADULT_CHRONIC_ATC_PREFIXES = ("C02", "C03", "C07", "C08", "C09", "C10", "A10", "B01",
                              "M05", "G04", "L02")
