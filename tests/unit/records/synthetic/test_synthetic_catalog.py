"""What synthetic charts are made of is real: ICD-9-CM, ATC and AIFA codes, esenzioni
that stand on the problems they are granted for, routes the therapy service accepts."""

from __future__ import annotations

import random
from datetime import date

from app.records.codes import ATC, ICD9CM, shipped_codes
from app.records.codes.aifa import shipped_drugs
from app.records.services.therapy import ROUTES
from app.records.synthetic import drugs
from app.records.synthetic.care import FAMILY_CONDITIONS
from app.records.synthetic.catalog import ACUTE_EPISODES, OBSERVATION_KINDS
from app.records.synthetic.coding import ESENZIONI, code_conditions
from app.records.synthetic.conditions import CONDITIONS
from app.records.synthetic.drugs import Drug
from app.records.synthetic.showcase import maggi_emilia


def _all_drugs() -> list[Drug]:
    found: list[Drug] = []
    for value in vars(drugs).values():
        if isinstance(value, Drug):
            found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                found += [item] if isinstance(item, Drug) else [
                    part for part in item if isinstance(part, Drug)]
        elif isinstance(value, dict):
            found += [v for v in value.values() if isinstance(v, Drug)]
    return found


def _coded_samples() -> list[tuple[str, str, str, str | None]]:
    """(key, icd9, qualifier, esenzione) of many random patients' coded conditions."""
    keys = [c.key for c in CONDITIONS]
    rng = random.Random(5)
    samples = []
    for _ in range(400):
        chosen = [k for k in keys if rng.random() < 0.3]
        for coded in code_conditions(chosen, rng, age=rng.uniform(18, 95),
                                     female=rng.random() < 0.5, ckd_egfr=rng.uniform(20, 75)):
            samples.append((coded.key, coded.icd9, coded.qualifier, coded.esenzione))
    for coded in maggi_emilia(date(2026, 1, 1)).script.coded:
        samples.append((coded.key, coded.icd9, coded.qualifier, coded.esenzione))
    return samples


def test_every_drug_has_a_real_atc_code_and_a_route_the_service_accepts() -> None:
    atc = {row.code for row in shipped_codes(ATC)}
    found = _all_drugs()
    assert len(found) > 80
    for drug in found:
        assert drug.atc in atc, drug
        assert drug.route in ROUTES, drug
        assert drug.frequency and drug.dosage, drug
        assert (drug.aic is None) == (drug.group is None), drug
        assert drug.aic is None or (len(drug.aic) == 9 and drug.aic.isdigit()), drug


def test_every_product_is_in_the_aifa_list_with_its_group() -> None:
    listed = {(d.aic, d.atc, d.equivalence_group): d.name for d in shipped_drugs()}
    products = [d for d in _all_drugs() if d.aic]
    assert len(products) >= 10
    for drug in products:
        name = listed.get((drug.aic, drug.atc, drug.group))
        assert name is not None, drug
        assert drug.name.startswith(name.rstrip("*")), (drug.name, name)


def test_every_problem_code_is_a_terminal_icd9cm_code() -> None:
    codes = {row.code for row in shipped_codes(ICD9CM)}
    used = {icd9 for _key, icd9, _q, _e in _coded_samples()}
    used |= {e.icd9 for e in ACUTE_EPISODES} | {code for code, _text in FAMILY_CONDITIONS}
    used |= {"V22.0", "V22.1"}
    assert len(used) > 40
    for code in used:
        assert code in codes, code
        # A heading (250.4 above 250.40, 401 above 401.9) is not a diagnosis.
        deeper = [c for c in codes if c != code and c.startswith(code)
                  and ("." in code or c[len(code)] == ".")]
        assert not deeper, (code, deeper[:3])


def test_esenzioni_are_granted_only_where_their_rule_fits() -> None:
    granted = [(icd9, qualifier, code) for _k, icd9, qualifier, code in _coded_samples() if code]
    assert len({code for _i, _q, code in granted}) >= 6
    for icd9, qualifier, code in granted:
        assert ESENZIONI[code].fits(icd9, qualifier), (code, icd9, qualifier)


def test_observation_kinds_have_distinct_loinc_codes() -> None:
    codes = [kind.code for kind in OBSERVATION_KINDS.values()]
    assert len(codes) == len(set(codes))
