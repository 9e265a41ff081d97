"""itemsrel.verdicts: each constructor's rule on constructed evidence, the one table, the words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from itemsrel import report
from itemsrel.verdicts import (
    CONTRADICTED,
    NO_CLAIM,
    NOT_REPRODUCED,
    NOT_TESTED,
    PARTLY,
    REPRODUCED_EXACTLY,
    REPRODUCED_IN_DISTRIBUTION,
    Claim,
    across_settings,
    compare,
    fmt,
    not_tested,
    paired_claim,
    settings_text,
    settings_verdict,
    threshold,
    verdict_counts,
    verdict_table,
    verdict_text,
)

# --- against a printed number ------------------------------------------------------------------


def test_compare_verdicts_and_tolerance():
    assert compare("x", 0.4251, 1 / 3, 1e-3).verdict == NOT_REPRODUCED
    assert compare("x", [2.43, 2.43], [2.4292, 2.4292], 5e-3).verdict == REPRODUCED_EXACTLY
    assert compare("x", 1.0, 1.1, 0.2, kind="distribution").verdict == REPRODUCED_IN_DISTRIBUTION
    assert compare("x", 1.0, 1.3, 0.2, kind="distribution").verdict == NOT_REPRODUCED
    # a derivation that gives another value than the printed one contradicts it
    assert compare("x", [-1, 1], [0, 2], 0, kind="derivation").verdict == CONTRADICTED
    assert compare("x", [0, 2], [0, 2], 0, kind="derivation").verdict == REPRODUCED_EXACTLY
    # agreement only under a stated reading
    c = compare("x", 0.4504, 0.45039, 1e-3, reading="0.45004 read as 0.4504")
    assert c.verdict == "consistent only with 0.45004 read as 0.4504"
    assert compare("x", 0.45004, 0.5, 1e-3, reading="r").verdict == NOT_REPRODUCED
    assert compare("x", None, 1.0, 0).verdict == NOT_TESTED


def test_compare_bad_input():
    with pytest.raises(ValueError, match="not finite"):
        compare("x", 1.0, np.nan, 0.1)
    with pytest.raises(ValueError, match="tolerance"):
        compare("x", 1.0, 1.0, -1)
    with pytest.raises(ValueError, match="shape"):
        compare("x", [1.0, 2.0], 1.0, 0.1)
    with pytest.raises(ValueError, match="kind"):
        compare("x", 1.0, 1.0, 0.1, kind="roughly")


def test_fmt_rounds_negative_zero():
    assert fmt(-1e-9) == "0.0000"
    assert fmt([[1, -0.00001], [0.5, 2]], 2) == "1.00 0.00; 0.50 2.00"
    assert fmt([1, 2], 1) == "(1.0, 2.0)"


def test_compare_table_columns_and_rounding():
    t = verdict_table([compare("a", 0.0, 4e-33, 1e-3), compare("b", 0.4251, 1 / 3, 1e-3, "n")])
    assert list(t.columns) == ["paper", "this book", "max |diff|", "criterion", "verdict", "note"]
    assert t.index.name == "claim"
    assert t["max |diff|"].tolist() == ["< 1e-12", "9.2e-02"]
    assert t["criterion"].tolist() == ["|diff| ≤ 1e-03"] * 2
    assert t["verdict"].tolist() == [REPRODUCED_EXACTLY, NOT_REPRODUCED]
    assert t.loc["b", "this book"] == "0.3333"


def test_report_reexports_the_same_functions():
    assert report.compare is compare and report.verdict_table is verdict_table


# --- paired over seeds -------------------------------------------------------------------------


def _claim(a, b, min_effect=0.05):
    return paired_claim("A beats B", "score", "A", a, "B", b, min_effect=min_effect)


def test_paired_rule() -> None:
    b = np.zeros(20)
    assert _claim(np.full(20, 0.2), b).verdict == REPRODUCED_IN_DISTRIBUTION
    # 2 of 20 seeds contradict (10 %) and the mean gap is 0.15: still reproduced; 3 of 20: partly
    assert (
        _claim(np.r_[np.full(18, 0.2), np.full(2, -0.3)], b).verdict == REPRODUCED_IN_DISTRIBUTION
    )
    assert _claim(np.r_[np.full(17, 0.3), np.full(3, -0.3)], b).verdict == PARTLY
    # ties (both at a ceiling) neither agree nor contradict: 9 ties, 11 agree, none against
    ceiling = _claim(np.ones(20), np.r_[np.ones(9), np.full(11, 0.8)])
    assert ceiling.evidence["seeds A > B / A < B"] == "11 / 0"
    assert ceiling.verdict == REPRODUCED_IN_DISTRIBUTION
    # consistent but tiny: partly
    assert _claim(np.full(20, 0.01), b).verdict == PARTLY
    # 7 of 20 contradict (35 %): not reproduced even with a large mean
    assert _claim(np.r_[np.full(13, 0.5), np.full(7, -0.1)], b).verdict == NOT_REPRODUCED
    # clearly the other way: contradicted (the mirror of the reproduced rule) ...
    assert _claim(np.full(20, -0.2), b).verdict == CONTRADICTED
    assert _claim(np.r_[np.full(18, -0.2), np.full(2, 0.3)], b).verdict == CONTRADICTED
    # ... but a small or mixed negative effect is only not reproduced
    assert _claim(np.full(20, -0.01), b).verdict == NOT_REPRODUCED
    assert _claim(np.r_[np.full(17, -0.3), np.full(3, 0.3)], b).verdict == NOT_REPRODUCED
    assert _claim(np.r_[np.full(10, 0.02), np.full(10, -0.02)], b).verdict == NOT_REPRODUCED
    assert _claim(np.full(20, 0.004), b).verdict == NOT_REPRODUCED  # all ties


def test_paired_validation() -> None:
    with pytest.raises(ValueError, match="finite"):
        _claim([0.1, np.nan], [0.0, 0.0])
    with pytest.raises(ValueError, match="one value per seed"):
        _claim([0.1, 0.2, 0.3], [0.0, 0.0])
    with pytest.raises(ValueError, match="min_effect"):
        _claim([0.1, 0.2], [0.0, 0.0], min_effect=-1)


def test_paired_table_text() -> None:
    t = verdict_table([_claim([0.9, 0.8, 1.0], [0.5, 0.4, 0.6])])
    assert list(t.columns) == [
        "measure",
        "A",
        "B",
        "A − B",
        "seeds A > B / A < B",
        "criterion",
        "verdict",
    ]
    row = t.loc["A beats B"]
    assert row["A"] == "A: 0.90 ± 0.10"
    assert row["B"] == "B: 0.50 ± 0.10"
    assert row["A − B"] == "0.40 ± 0.00"
    assert row["seeds A > B / A < B"] == "3 / 0"
    assert row["criterion"] == "mean A − B ≥ 0.05, ≤ 10 % of seeds A < B"
    assert row["verdict"] == REPRODUCED_IN_DISTRIBUTION


# --- threshold, settings, not tested -----------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "weak", "verdict"),
    [
        (True, True, REPRODUCED_IN_DISTRIBUTION),
        (True, False, REPRODUCED_IN_DISTRIBUTION),
        (False, True, PARTLY),
        (False, False, NOT_REPRODUCED),
    ],
)
def test_threshold(met, weak, verdict):
    c = threshold("c", "m", "97 %", "≥ 95 %", met, weak)
    assert (c.verdict, c.book, c.criterion) == (verdict, "97 %", "≥ 95 %")
    assert threshold("c", "m", "1", "= 1", True, met_verdict=REPRODUCED_EXACTLY).verdict == (
        REPRODUCED_EXACTLY
    )
    with pytest.raises(ValueError, match="met_verdict"):
        threshold("c", "m", "1", "= 1", True, met_verdict=PARTLY)


@pytest.mark.parametrize(
    ("holds", "verdict"),
    [
        ([True, True], REPRODUCED_IN_DISTRIBUTION),
        ([True, False, False], PARTLY),
        ([False], NOT_REPRODUCED),
    ],
)
def test_across_settings(holds, verdict):
    c = across_settings("c", "measured", holds)
    assert c.verdict == verdict
    assert c.criterion == f"holds in all {len(holds)} settings (partly: in some)"
    assert across_settings("c", "m", pd.Series(holds)).verdict == verdict
    with pytest.raises(ValueError, match="at least one"):
        across_settings("c", "m", [])


@pytest.mark.parametrize(
    ("holds", "expected", "verdict"),
    [
        ([True] * 8, True, REPRODUCED_IN_DISTRIBUTION),
        ([True, False], True, PARTLY),
        ([False] * 8, True, NOT_REPRODUCED),
        # the paper says the effect does not occur: no setting with it reproduces the claim
        ([False] * 8, False, REPRODUCED_IN_DISTRIBUTION),
        ([False, True, False], False, PARTLY),
        ([True] * 8, False, CONTRADICTED),
        ([True, False], None, NO_CLAIM),
    ],
)
def test_settings_verdict(holds, expected, verdict):
    assert settings_verdict(holds, expected) == verdict
    assert settings_verdict(pd.Series(holds), expected=expected) == verdict
    with pytest.raises(ValueError, match="at least one"):
        settings_verdict([], expected)


def test_settings_text():
    flags = pd.Series(
        [True, False, True],
        index=pd.MultiIndex.from_tuples([("X", "normal"), ("X", "uniform"), ("Y", "normal")]),
    )
    assert settings_text(flags) == "X (normal), Y (normal)"
    assert settings_text(~flags.astype(bool) & False) == "none"


def test_unknown_verdict_words_are_refused():
    with pytest.raises(ValueError, match="verdict must be one of"):
        Claim("c", "clear", "crit")
    with pytest.raises(ValueError, match="verdict must be one of"):
        Claim("c", "consistent only", "crit")  # needs its reading


def test_text_rendering_and_counts():
    claims = [
        threshold("first", "lowest accuracy", "97.0 %", "≥ 95 %", True),
        not_tested("second", "needs a width sweep"),
        compare("third", 1.0, 2.0, 0.1, kind="derivation"),
    ]
    text = verdict_text(claims)
    assert text.splitlines()[:5] == [
        "1. first",
        "    measure: lowest accuracy",
        "    this book: 97.0 %",
        "    criterion: ≥ 95 %",
        f"    -> {REPRODUCED_IN_DISTRIBUTION}",
    ]
    assert "    -> not tested" in text and "    -> contradicted" in text
    assert verdict_counts(claims) == {REPRODUCED_IN_DISTRIBUTION: 1, CONTRADICTED: 1, NOT_TESTED: 1}
    table = verdict_table([*claims, compare("r", 1.0, 1.0, 0, reading="a reading")])
    assert verdict_counts(table)["consistent only with"] == 1
    with pytest.raises(ValueError, match="at least one"):
        verdict_table([])


def test_no_chapter_or_module_has_verdict_words_of_its_own():
    """The book's one vocabulary: no notebook cell or package module outside itemsrel.verdicts
    types the words of the old vocabularies as verdicts."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    old = [
        '"clear"',
        '"weak"',
        '"supported"',
        "partly supported",
        "not supported",
        '"agrees"',
        '"differs"',
        "threshold_verdict",
        "claim_verdict",
        "claims_table",
        "itemsrel.claims",
    ]
    sources = {
        p: p.read_text()
        for p in (root / "src" / "itemsrel").rglob("*.py")
        if p.name != "verdicts.py"
    }
    for nb in [*(root / "notebooks").glob("*.ipynb"), *(root / "book").glob("*.ipynb")]:
        cells = json.loads(nb.read_text())["cells"]
        sources[nb] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    found = [(p.name, w) for p, text in sources.items() for w in old if w in text]
    assert not found


def test_compact_table_puts_measure_with_value_and_difference_with_criterion() -> None:
    from itemsrel.verdicts import compact_table

    rows = [
        compare("W", [[1.0, 0.0]], [[1.0, 0.0005]], 1e-3),
        threshold("share", "networks that fit", "0.9", "≥ 0.8", True),
    ]
    df = compact_table(rows)
    assert list(df.columns) == ["paper", "this book", "criterion", "verdict"]
    assert df.loc["share", "this book"] == "networks that fit: 0.9"
    assert df.loc["W", "criterion"].endswith("(max 5.0e-04)")
    assert df.loc["share", "criterion"] == "≥ 0.8"
