"""Verdict rules of itemsrel.report."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.report import (
    AGREES,
    DIFFERS,
    NOT_PRINTED,
    compare,
    fmt,
)


def test_compare_verdicts_and_tolerance():
    assert compare("x", 0.4251, 1 / 3, 1e-3).verdict == DIFFERS
    assert compare("x", [2.43, 2.43], [2.4292, 2.4292], 5e-3).verdict == AGREES
    assert compare("x", None, 1.0, 0).verdict == NOT_PRINTED
    with pytest.raises(ValueError, match="not finite"):
        compare("x", 1.0, np.nan, 0.1)


def test_fmt_rounds_negative_zero():
    assert fmt(-1e-9) == "0.0000"
    assert fmt([[1, -0.00001], [0.5, 2]], 2) == "1.00 0.00; 0.50 2.00"


def test_verdict_table_prints_rounding_as_such():
    from itemsrel.report import verdict_table

    t = verdict_table([compare("a", 0.0, 4e-33, 1e-3), compare("b", 0.4251, 1 / 3, 1e-3)])
    assert t["max |diff|"].tolist() == ["< 1e-12", "9.2e-02"]
    assert t["verdict"].tolist() == [AGREES, DIFFERS]
