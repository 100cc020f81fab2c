"""Italian catalogue: English msgid -> Italian text. A test fails on a missing entry."""

ITALIAN: dict[str, str] = {
    # code lists (app/records/codes)
    "(and {count} more)": "(e altri {count})",
    "cannot read {path}": "impossibile leggere {path}",
    "line {line}: code {code} read as {fixed}": "riga {line}: codice {code} letto come {fixed}",
    "line {line}: code {code} repeats line {first}; kept the first": (
        "riga {line}: il codice {code} ripete la riga {first}; tenuta la prima"
    ),
    "line {line}: empty description": "riga {line}: descrizione vuota",
    "line {line}: invalid code {code}": "riga {line}: codice non valido {code}",
    "line {line}: not valid CSV": "riga {line}: CSV non valido",
    "line {line}: wrong number of fields": "riga {line}: numero di campi errato",
    "the file has no code and description columns": (
        "il file non ha le colonne code e description"
    ),
    "unknown code system {system}": "sistema di codifica sconosciuto {system}",
}
