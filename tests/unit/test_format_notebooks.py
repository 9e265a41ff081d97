"""tools/format_notebooks.py: mechanical, idempotent notebook clean-up."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "format_notebooks", ROOT / "tools" / "format_notebooks.py"
)
fmt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fmt)


def _nb() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nAs Figure 2.1 shows, and Figure 2.9 does not."),
        nbformat.v4.new_code_cell("import numpy as np\nfrom itemsrel import x"),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint( 1+1 )"),
        nbformat.v4.new_code_cell("fig = make(title='Figure 2.1 — the answer')\nfig.show()"),
        nbformat.v4.new_markdown_cell("**Figure 2.1 — The answer.** It is 2.\n\nMore prose."),
        nbformat.v4.new_code_cell("other.show()"),
        nbformat.v4.new_markdown_cell("*Figure: a flow.* Lines are paths."),
    ]
    return nb


def test_format_notebook_converts_and_is_idempotent() -> None:
    nb = fmt.format_notebook(_nb(), "02_linear", line_length=76)
    cells = nb["cells"]
    assert cells[1]["metadata"]["tags"] == ["remove-input"]
    assert cells[2]["metadata"]["tags"] == ["nbval-check-output"]
    assert "".join(cells[2]["source"]) == "print(1 + 1)"
    fig = cells[3]["metadata"]["mystnb"]["figure"]
    assert fig == {"caption": "**The answer.** It is 2.", "name": "fig-02-linear-1"}
    assert "Figure 2.1" not in "".join(cells[3]["source"])  # number gone from the title
    assert "".join(cells[4]["source"]) == "More prose."
    assert cells[5]["metadata"]["mystnb"]["figure"]["caption"] == "**A flow.** Lines are paths."
    assert len(cells) == 6  # the caption-only markdown cell is dropped
    text = "".join(cells[0]["source"])
    assert "{numref}`fig-02-linear-1`" in text and "Figure 2.9" in text  # unknown stays
    again = fmt.format_notebook(copy.deepcopy(nb), "02_linear", line_length=76)
    assert fmt.dump(again) == fmt.dump(nb)


def test_ruff_leaves_unparsable_cells_alone() -> None:
    out = fmt.ruff_format_many(["%timeit f(x)", "x=1", ""], line_length=76)
    assert out == ["%timeit f(x)", "x = 1", ""]
