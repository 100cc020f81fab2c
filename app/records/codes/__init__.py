"""Code lists (ICD-9-CM 2007 Italian edition, ATC): shipped resources, import, search."""

from app.records.codes.catalog import (
    ATC,
    CODE_SYSTEMS,
    ICD9CM,
    CodeFile,
    CodeRow,
    Unrepaired,
    parse_codes,
    read_codes,
    repair_rows,
    shipped_codes,
)
from app.records.codes.repair import repair_description
from app.records.codes.store import (
    ImportReport,
    describe_code,
    import_codes,
    load_shipped_codes,
    replace_codes,
    search_codes,
)

__all__ = [
    "ATC",
    "CODE_SYSTEMS",
    "ICD9CM",
    "CodeFile",
    "CodeRow",
    "ImportReport",
    "Unrepaired",
    "describe_code",
    "import_codes",
    "load_shipped_codes",
    "parse_codes",
    "read_codes",
    "repair_description",
    "repair_rows",
    "replace_codes",
    "search_codes",
    "shipped_codes",
]
