"""Small workbooks in the layout of the Ministry's ICD-10-IM files, written with openpyxl.

The published files cannot be shipped (CC BY-NC-ND 4.0), so tests write their own:
the same rows and columns, synthetic content built on DOMAIN.md's examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

LIST_NAME = "3.ELENCO_SISTEMATICO_ICD-10-IM_V.GAMMA_2.1_VALIDITA_DA_16022026.xlsx"
TABLE_NAME = "4.TAB_TRANSCOD_ICD-9-CM-ICD-10-IM_V.GAMMA_2.1.XLSX"

# Columns B code, C title, D type, E parent, G terminal, Q ICD-9-CM (A, F, H..P unused).
LIST_HEADER = ["N.", "CODICE", "TITOLO", "TIPO", "PADRE", "LIVELLO", "TERMINALE",
               *[f"CAMPO {n}" for n in range(8, 17)], "TRANSCODIFICA ICD-9-CM"]

# (code, title, type, parent, terminal, ICD-9-CM codes of column Q)
LIST_ROWS: list[tuple[str, str, str, str, int, str]] = [
    ("IX", "Malattie del sistema circolatorio", "capitolo", "", 0, ""),
    ("I10-I16", "Malattie ipertensive", "blocco", "IX", 0, ""),
    ("I10", "Ipertensione essenziale (primaria)", "cat 3", "I10-I16", 1, "401.1; 401.9"),
    ("I20-I25", "Cardiopatie ischemiche", "blocco", "IX", 0, ""),
    ("I21", "Infarto miocardico acuto", "cat 3", "I20-I25", 0, ""),
    ("I21.0", "Infarto miocardico acuto transmurale della parete anteriore", "cat 4", "I21",
     0, ""),
    ("I21.00", "Infarto miocardico acuto transmurale della parete anteriore,\n"
     "episodio iniziale di assistenza", "cat 5", "I21.0", 1, "410.01"),
    ("I21.08", "Infarto miocardico acuto transmurale della parete anteriore,\n"
     "altro episodio di assistenza", "cat 5", "I21.0", 1, "410.00"),
    ("I25", "Cardiopatia ischemica cronica", "cat 3", "I20-I25", 0, ""),
    ("I25.2", "Infarto miocardico pregresso", "cat 4", "I25", 1, "412"),
    ("I25.9", "Cardiopatia ischemica cronica, non specificata", "cat 4", "I25", 1, "414.9"),
    ("I48", "Fibrillazione e flutter atriale", "cat 3", "I20-I25", 0, ""),
    ("I48.0", "Fibrillazione atriale parossistica", "cat 4", "I48", 1, "427.31"),
    ("I48.1", "Fibrillazione atriale persistente", "cat 4", "I48", 1, "427.31"),
    ("I48.9", "Fibrillazione e flutter atriale, non specificati", "cat 4", "I48", 0, ""),
    ("I48.90", "Fibrillazione atriale, non specificata", "cat 5", "I48.9", 1, "427.31"),
    ("I52.0", "Altre malattie del cuore in malattie batteriche classificate altrove (*)",
     "cat 4", "I52", 1, ""),
    ("A18.8", "Tubercolosi di altri organi specificati\n(+ possibile)", "cat 4", "A18", 1,
     "017.90"),
    ("E11", "Diabete mellito di tipo 2", "cat 3", "E10-E14", 0, ""),
    ("E11.9", "Diabete mellito di tipo 2, senza complicanze (+)", "cat 4", "E11", 1,
     "250.00"),
    ("J44", "Altre broncopneumopatie ostruttive croniche", "cat 3", "J40-J47", 0, ""),
    ("J44.9", "Broncopneumopatia cronica ostruttiva, non specificata", "cat 4", "J44", 1,
     "496"),
]

TABLE_HEADER = ["CODICE ICD-9-CM", "DESCRIZIONE ICD-9-CM", "CODICE ICD-10-IM",
                "DESCRIZIONE ICD-10-IM"]
# Many to many: 427.31 has three candidates, never chosen automatically.
TABLE_ROWS: list[tuple[Any, str, str, str]] = [
    ("401.9", "Ipertensione essenziale non specificata", "I10",
     "Ipertensione essenziale (primaria)"),
    ("410.00", "Infarto miocardico acuto della parete anterolaterale, episodio di assistenza "
     "non specificato", "I21.08", "Infarto miocardico acuto transmurale della parete anteriore,"
     "\naltro episodio di assistenza"),
    ("410.01", "Infarto miocardico acuto della parete anterolaterale, episodio iniziale di "
     "assistenza", "I21.00", "Infarto miocardico acuto transmurale della parete anteriore, "
     "episodio iniziale di assistenza"),
    ("412", "Infarto miocardico pregresso", "I25.2", "Infarto miocardico pregresso"),
    ("427.31", "Fibrillazione atriale", "I48.0", "Fibrillazione atriale parossistica"),
    ("427.31", "Fibrillazione atriale", "I48.1", "Fibrillazione atriale persistente"),
    ("427.31", "Fibrillazione atriale", "I48.90", "Fibrillazione atriale, non specificata"),
    ("496", "Ostruzioni croniche delle vie respiratorie, non classificate altrove", "J44.9",
     "Broncopneumopatia cronica ostruttiva, non specificata"),
    ("250.00", "Diabete mellito, tipo II o non specificato", "E11.9",
     "Diabete mellito di tipo 2, senza complicanze (+)"),
    ("V45.81", "Stato postchirurgico di bypass aortocoronarico", "", ""),  # none given
]


def _save(rows: Sequence[Sequence[Any]], path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Foglio1"
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def systematic_list(folder: Path, rows: Sequence[tuple[Any, ...]] = tuple(LIST_ROWS),
                    name: str = LIST_NAME, title_rows: int = 2) -> Path:
    """The systematic list: title, licence, header (row 3), then the codes from row 4."""
    top: list[list[Any]] = [["Elenco sistematico ICD-10-IM - versione GAMMA 2.1"],
                            ["Licenza Creative Commons CC BY-NC-ND 4.0"]]
    top += [[] for _extra in range(title_rows - 2)]
    body = []
    for number, (code, title, kind, parent, terminal, icd9) in enumerate(rows, 1):
        cells: list[Any] = [number, code, title, kind, parent, "", terminal]
        cells += [None] * 9 + [icd9 or None]
        body.append(cells)
    return _save([*top[:title_rows], LIST_HEADER, *body], folder / name)


def transcoding_table(folder: Path, rows: Sequence[tuple[Any, ...]] = tuple(TABLE_ROWS),
                      name: str = TABLE_NAME, blank_rows: int = 1) -> Path:
    """The transcoding table: title and licence rows, blank rows, the header, the rows."""
    top: list[list[Any]] = [["Tabella di transcodifica ICD-9-CM -> ICD-10-IM"],
                            ["Licenza Creative Commons CC BY-NC-ND 4.0"]]
    top += [[] for _blank in range(blank_rows)]
    return _save([*top, TABLE_HEADER, *rows], folder / name)


def workbook(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """Any workbook (a wrong layout, an empty one)."""
    return _save(rows, path)
