"""Repair of descriptions damaged by the publisher's export."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.records.codes.repair import repair_description


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Procedure su quattro o pi?? vasi", "Procedure su quattro o più vasi"),
        ("Necessit?? di isolamento", "Necessità di isolamento"),
        ("NECESSIT?? di isolamento", "NECESSITÀ di isolamento"),
        ("Pi?? vasi", "Più vasi"),
        ("PI?? VASI", "PIÙ VASI"),
        ("Disturbi della sensibilit??", "Disturbi della sensibilità"),
        ("FARMACI PER LA MOTILIT??", "FARMACI PER LA MOTILITÀ"),
        ("Frattura dell???anca", "Frattura dell’anca"),
        ("un???unit??", "un’unità"),
        ("catetere gi?? impiantato", "catetere già impiantato"),
        ("senza esame ne?? trattamento", "senza esame né trattamento"),
        ("perch?? e poich??", "perché e poiché"),
        ("non caus?? danni", "non causò danni"),
        ("Malattia di Se??zary", "Malattia di Sézary"),
        ("la lesione ?? estesa", "la lesione è estesa"),
        ("?? estesa", "È estesa"),
        ("dal 5?? percentile all???84?? percentile", "dal 5° percentile all’84° percentile"),
        ("Malattia ??????moyamoya??????", "Malattia “moyamoya”"),
        ("Sindrome dell?????????uomo rigido??????", "Sindrome dell’“uomo rigido”"),
        ("dita in ???griffe???, acquisito", "dita in ‘griffe’, acquisito"),
        ("schiacciamento dell??? addome", "schiacciamento dell’ addome"),
        ("FARMACI USATI NELL?ANGIOEDEMA", "FARMACI USATI NELL’ANGIOEDEMA"),
        ("Sindrome di M??ni??re", "Sindrome di Ménière"),
    ],
)
def test_regular_damage_is_repaired(damaged: str, repaired: str) -> None:
    assert repair_description(damaged) == (repaired, True)


@pytest.mark.parametrize(
    ("damaged", "shown"),
    [
        ("Gas lacrimogeni ??gas lacrimogeno_", "Gas lacrimogeni gas lacrimogeno_"),
        ("una parola sconosciur??", "una parola sconosciur'"),
        ("Sindrome di Xy??zw", "Sindrome di Xy'zw"),
        ("segni????? strani", "segni' strani"),
        ("segni ????? strani", "segni  strani"),
        ("fine ?", "fine "),
    ],
)
def test_unknown_damage_is_shown_typewriter_style(damaged: str, shown: str) -> None:
    assert repair_description(damaged) == (shown, False)


def test_clean_text_is_untouched() -> None:
    assert repair_description("Ipertensione essenziale, eta' adulta") == (
        "Ipertensione essenziale, eta' adulta",
        True,
    )


_PIECES = st.sampled_from(
    [
        "?",
        "??",
        "???",
        "??????",
        "?????????",
        "pi",
        "it",
        "ch",
        "Se",
        "zary",
        "dell",
        "a",
        "E",
        " ",
        ",",
        "5",
        "'",
        ".",
        "à",
        "(",
        "_",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_no_question_mark_survives_defect_patterns(text: str) -> None:
    shown, _complete = repair_description(text)
    assert "?" not in shown


@given(st.text())
def test_never_raises_and_never_shows_a_question_mark(text: str) -> None:
    shown, complete = repair_description(text)
    assert "?" not in shown
    if "?" not in text:
        assert (shown, complete) == (text, True)
