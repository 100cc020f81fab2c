"""Code lists (ICD-9-CM 2007 Italian edition, ATC, ICD-10-IM, the AIFA medicines):
shipped resources, imports, ranked search."""

from app.records.codes.aifa import AIFA, Drug, read_aifa, shipped_drugs
from app.records.codes.catalog import (
    ALL_SYSTEMS,
    ATC,
    CODE_SYSTEMS,
    ICD9CM,
    ICD10IM,
    CodeFile,
    CodeRow,
    Unrepaired,
    parse_codes,
    read_codes,
    repair_rows,
    shipped_codes,
)
from app.records.codes.drugs import describe_drug, search_drugs
from app.records.codes.icd10im import read_systematic_list, read_transcoding_table
from app.records.codes.imports import IMPORT_KINDS, import_list
from app.records.codes.repair import repair_description
from app.records.codes.store import (
    ImportReport,
    describe_code,
    import_codes,
    load_shipped_codes,
    replace_codes,
    search_codes,
)
from app.records.codes.transcoding import (
    ICD9_ICD10IM,
    icd9cm_candidates,
    icd10im_candidates,
    icd10im_loaded,
)

__all__ = [
    "AIFA",
    "ATC",
    "ALL_SYSTEMS",
    "CODE_SYSTEMS",
    "ICD9CM",
    "ICD9_ICD10IM",
    "ICD10IM",
    "IMPORT_KINDS",
    "CodeFile",
    "CodeRow",
    "Drug",
    "ImportReport",
    "Unrepaired",
    "describe_code",
    "describe_drug",
    "icd9cm_candidates",
    "icd10im_candidates",
    "icd10im_loaded",
    "import_codes",
    "import_list",
    "load_shipped_codes",
    "parse_codes",
    "read_aifa",
    "read_codes",
    "read_systematic_list",
    "read_transcoding_table",
    "repair_description",
    "repair_rows",
    "replace_codes",
    "search_codes",
    "search_drugs",
    "shipped_codes",
    "shipped_drugs",
]
