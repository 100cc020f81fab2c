"""The AIFA medicines in the record: loading them into ``drug_entry`` and searching them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Table, and_, delete, insert, select

from app.records.codes.aifa import AIFA, Drug, shipped_drugs
from app.records.codes.catalog import ATC
from app.records.codes.search import Entry, FoldedIndex, IndexCache
from app.records.codes.stamps import stamp, touch
from app.records.model.codes import CodeEntry, DrugEntry

__all__ = ["AIFA", "describe_drug", "drug_index", "load_shipped_drugs", "replace_drugs",
           "search_drugs"]

BATCH_SIZE = 1000
_DRUGS: Table = DrugEntry.__table__  # type: ignore[assignment]
_CODES: Table = CodeEntry.__table__  # type: ignore[assignment]
_INDEXES: IndexCache[Drug] = IndexCache(size=3)


def replace_drugs(conn: Connection, drugs: Iterable[Drug]) -> int:
    """Replace every medicine with ``drugs``; the caller owns the transaction."""
    conn.execute(delete(_DRUGS))
    iterator = iter(drugs)
    count = 0
    while batch := list(islice(iterator, BATCH_SIZE)):
        conn.execute(insert(_DRUGS), [
            {"aic": d.aic, "name": d.name, "atc": d.atc,
             "equivalence_group": d.equivalence_group, "release": d.release}
            for d in batch
        ])
        count += len(batch)
    touch(conn, AIFA)
    return count


def load_shipped_drugs(conn: Connection) -> int:
    """Load the AIFA list shipped with Medirete; return how many packs."""
    return replace_drugs(conn, shipped_drugs())


def _select() -> Select[Any]:
    atc = _CODES.alias("atc_entry")
    joined = _DRUGS.outerjoin(atc, and_(atc.c.system == ATC, atc.c.code == _DRUGS.c.atc))
    return select(_DRUGS.c.aic, _DRUGS.c.name, _DRUGS.c.atc, atc.c.description,
                  _DRUGS.c.equivalence_group, _DRUGS.c.release).select_from(joined)


def _drugs(conn: Connection, where: ColumnElement[bool] | None = None) -> Iterator[Drug]:
    stmt = _select()
    if where is not None:
        stmt = stmt.where(where)
    stmt = stmt.order_by(_DRUGS.c.name, _DRUGS.c.aic)
    for aic, name, atc, described, group, release in conn.execute(stmt):
        yield Drug(aic, name, atc, described or "", group, release)


def _entries(conn: Connection) -> Iterator[Entry[Drug]]:
    for drug in _drugs(conn):
        # The AIC also without the zeros a box or a spreadsheet drops (026851016, 26851016).
        codes = (drug.aic, drug.aic.lstrip("0"), drug.atc)
        yield Entry(drug, codes, drug.name, drug.atc_description)


def drug_index(conn: Connection, key: str | None = None) -> FoldedIndex[Drug]:
    """The search index of the medicines: cached under ``key`` (the record's path), or built."""
    if key is None:
        return FoldedIndex(_entries(conn))
    return _INDEXES.get((key, AIFA), stamp(conn, AIFA, ATC),
                       lambda: FoldedIndex(_entries(conn)))


def search_drugs(conn: Connection, text: str, limit: int = 50,
                 key: str | None = None) -> list[Drug]:
    """Medicines by AIC, by ATC code, by words of the name, then by active ingredient."""
    return drug_index(conn, key).search(text, limit)


def describe_drug(conn: Connection, aic: str) -> Drug | None:
    """The pack with this AIC (leading zeros optional), or None."""
    digits = aic.strip()
    if not digits.isdigit():
        return None
    return next(_drugs(conn, _DRUGS.c.aic == digits.zfill(9)), None)
