"""itemsrel.tables: one house style for printed tables (HTML that wraps, stable plain text)."""

from __future__ import annotations

import pandas as pd
import pytest

from itemsrel.tables import CSS_CLASS, Table, table


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quantity": ["W_0^SGD", "W_1^ADAM"],
            "max |diff|": [3.3e-4, 0.0741234],
            "verdict": ["reproduced exactly", "not reproduced"],
        }
    ).set_index("quantity")


def test_plain_text_is_to_string_of_the_rounded_frame() -> None:
    df = _frame()
    t = table(df, digits=3)
    assert repr(t) == df.round(3).to_string()
    assert repr(table(df, caption="Claims")).splitlines()[0] == "Claims"
    assert repr(table(df, index=False)) == df.to_string(index=False)


def test_html_has_the_house_class_caption_and_the_same_numbers() -> None:
    html = table(_frame(), caption="Claims <§3>", digits=4)._repr_html_()
    assert f'class="{CSS_CLASS}"' in html
    assert "Claims &lt;§3&gt;" in html  # escaped caption
    # floats are printed as to_string prints their column
    assert "0.0003" in html and "0.0741" in html
    assert "0.0741234" not in html


def test_verdict_cells_get_colour_classes() -> None:
    html = table(_frame())._repr_html_()
    assert "verdict-ok" in html and "verdict-bad" in html


def test_series_and_bad_input() -> None:
    s = pd.Series([1.5, 2.25], name="x")
    assert repr(table(s)) == s.to_frame().to_string()
    with pytest.raises(TypeError, match="df must be a pandas DataFrame"):
        Table([[1, 2]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="digits must be"):
        table(_frame(), digits=-1)


def test_html_is_the_same_on_re_execution():
    """nbval compares a checked cell's HTML: the table's element ids must not be random."""
    df = pd.DataFrame({"a": [1.0, 2.5]}, index=["x", "y"])
    first, again = table(df, caption="c")._repr_html_(), table(df, caption="c")._repr_html_()
    assert first == again
    assert table(df.assign(a=[1.0, 3.0]))._repr_html_() != table(df)._repr_html_()
