"""Mechanical, idempotent clean-up of the book's notebooks (``make format``; ``--check`` for lint).

What it does to every notebook given (default: ``notebooks/*.ipynb`` and ``book/*.ipynb``):

1. **Checked cells carry a tag, not a comment.** A first line ``# NBVAL_CHECK_OUTPUT`` is removed
   and the cell gets nbval's tag ``nbval-check-output`` (honoured by ``pytest --nbval-lax``).
2. **Setup hidden.** The first code cell, when it imports, is tagged ``remove-input`` (its
   ``hide-input`` tag dropped; a ``remove-cell`` tag is kept as it is).
3. **Code fits the code box.** Every code cell is formatted by ``ruff format`` with
   ``--line-length`` :data:`LINE_LENGTH` (the characters a code box holds at 1280 px; see
   ``tests/browser/test_pages.py``). Cells ruff cannot parse (magics) are left alone.
4. **Figures as Sphinx knows them.** A markdown cell that follows a code cell and opens with a
   hand-numbered caption (``**Figure 3.1** text`` or ``**Figure 3.1 — title.** text``) gives its
   first paragraph to that code cell as myst-nb figure metadata (``mystnb: figure: caption,
   name``; the name is ``fig-<notebook stem>-<n>``); the rest of the markdown cell stays (it is
   dropped when nothing is left). Every "Figure 3.1" written elsewhere in the notebook's
   markdown becomes ``{numref}`fig-...```, so Sphinx numbers figures and references.

Nothing else changes: no cell is moved, outputs and other metadata are kept. A second run changes
nothing. ``--check`` reports which notebooks would change and exits 1 (used by ``make lint``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE_LENGTH = 76  # the code box holds 77 characters at 1280 px (measured in Chromium)
CHECK_COMMENT = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
SETUP_TAG = "remove-input"

# "**Figure 3.1** caption" or "**Figure 3.1 — title.** caption" (— or - or :)
CAPTION = re.compile(
    r"^\*\*Figure (?P<num>\d+\.\d+)(?P<rest>(?:\s*[—:\-–]\s*[^*]+)?)\*\*(?P<after>.*)\Z", re.S
)
REFERENCE = re.compile(r"(?<![`\w])(?P<word>[Ff]igure|[Ff]ig\.)\s+(?P<num>\d+\.\d+)(?![\d`])")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _set_source(cell: dict, text: str) -> None:
    lines = text.splitlines(keepends=True)
    cell["source"] = lines


def _tags(cell: dict) -> list[str]:
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def _add_tag(cell: dict, tag: str) -> None:
    tags = _tags(cell)
    if tag not in tags:
        tags.append(tag)


def _drop_empty_tags(cell: dict) -> None:
    meta = cell.get("metadata", {})
    if "tags" in meta and not meta["tags"]:
        del meta["tags"]


def convert_check_comment(cell: dict) -> None:
    """``# NBVAL_CHECK_OUTPUT`` first line → tag ``nbval-check-output``."""
    text = _source(cell)
    first, _, rest = text.partition("\n")
    if first.strip() == CHECK_COMMENT:
        _set_source(cell, rest)
        _add_tag(cell, CHECK_TAG)


IMPORT = re.compile(r"^(?:import|from)\s+\S+", re.M)


def hide_setup(cells: list[dict]) -> None:
    """Tag the first code cell ``remove-input`` when it imports (keep ``remove-cell``)."""
    code = [c for c in cells if c["cell_type"] == "code"]
    if not code or not IMPORT.search(_source(code[0])):
        return
    tags = _tags(code[0])
    if "remove-cell" not in tags:
        for t in ("hide-input", "hide-cell"):
            if t in tags:
                tags.remove(t)
        _add_tag(code[0], SETUP_TAG)


def _ruff() -> str:
    return shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


def ruff_format_many(texts: list[str], line_length: int = LINE_LENGTH) -> list[str]:
    """``texts`` formatted by one ``ruff format`` call; a text ruff cannot parse (IPython
    magics) comes back unchanged. Cells are stored without a final newline."""
    out = list(texts)
    with tempfile.TemporaryDirectory(prefix="itemsrel-fmt-") as tmp:
        files = []
        for i, text in enumerate(texts):
            if text.strip():
                f = Path(tmp) / f"cell_{i:05d}.py"
                f.write_text(text + "\n", encoding="utf-8")
                files.append((i, f))
        if not files:
            return out
        subprocess.run(
            [
                _ruff(),
                "format",
                "--quiet",
                "--no-cache",
                "--isolated",
                f"--line-length={line_length}",
                "--target-version=py311",
                tmp,
            ],
            capture_output=True,
            text=True,
        )
        for i, f in files:
            out[i] = f.read_text(encoding="utf-8").rstrip("\n")
    return out


def _figure_name(stem: str, number: str) -> str:
    return f"fig-{stem.replace('_', '-')}-{number.split('.')[1]}"


def _slug_name(stem: str, title: str, taken: set[str], cell: dict) -> str:
    words = re.findall(r"[a-z0-9]+", re.sub(r"\$[^$]*\$", "", title.lower()))[:5]
    name = f"fig-{stem.replace('_', '-')}-{'-'.join(words)}" if words else ""
    if not words or name in taken:
        name = f"fig-{stem.replace('_', '-')}-{cell.get('id', len(taken))}"
    return name


def is_figure_cell(cell: dict) -> bool:
    """A code cell that shows a figure: it calls ``.show()``."""
    return cell["cell_type"] == "code" and ".show()" in _source(cell)


# title="Figure 6.3 — the hidden layer ..." inside a figure cell's code (a hand number)
TITLE_NUMBER = re.compile(r"""(?P<q>title=f?["'])Figure (?P<num>\d+\.\d+)\s*[—:\-–]\s*""")
# *Figure: title.* text   or   **Title.** text  (unnumbered captions)
ITALIC_CAPTION = re.compile(r"^\*Figure:\s*(?P<title>[^*]+)\*(?P<after>.*)\Z", re.S)
BOLD_CAPTION = re.compile(r"^\*\*(?P<title>[^*]+)\*\*(?P<after>.*)\Z", re.S)


def _set_figure(cell: dict, caption: str, name: str) -> None:
    meta = cell.setdefault("metadata", {}).setdefault("mystnb", {})
    meta["figure"] = {"caption": " ".join(caption.split()), "name": name}


def move_captions(cells: list[dict], stem: str) -> dict[str, str]:
    """Hand-numbered captions → myst-nb figure metadata; returns {"3.1": "fig-03-nonlinear-1"}.

    Sources of a caption, in order of preference: the first paragraph of the markdown cell after
    the figure cell (``**Figure 3.1** …``, ``**Figure 3.1 — title.** …``, ``*Figure: title.* …``
    or ``**Title.** …``), else a hand number in the figure's own ``title="Figure 6.3 — …"``
    (the number is removed from the title; the rest becomes the caption).
    """
    labels: dict[str, str] = {}
    chapter = re.match(r"(\d+)_", stem)
    taken: set[str] = set()
    for cell in cells:  # figures converted by an earlier run
        fig = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if fig.get("name"):
            taken.add(fig["name"])
            m = re.fullmatch(r"fig-.+-(\d+)", str(fig["name"]))
            if m and chapter:
                labels[f"{int(chapter.group(1))}.{m.group(1)}"] = fig["name"]
    # numbers written into figure titles
    for cell in cells:
        if not is_figure_cell(cell):
            continue
        text = _source(cell)
        m = TITLE_NUMBER.search(text)
        if not m:
            continue
        num = m.group("num")
        rest = text[m.end() :]
        title = re.match(r"[^\"'\n]*", rest).group(0)
        _set_source(cell, text[: m.start()] + m.group("q") + rest)
        if not cell.get("metadata", {}).get("mystnb", {}).get("figure"):
            name = _figure_name(stem, num)
            _set_figure(cell, title[:1].upper() + title[1:] + ".", name)
            labels[num] = name
            taken.add(name)
    drop = []
    for i in range(1, len(cells)):
        cell, prev = cells[i], cells[i - 1]
        if cell["cell_type"] != "markdown" or not is_figure_cell(prev):
            continue
        text = _source(cell)
        first, _, rest = text.partition("\n\n")
        first = first.strip()
        if m := CAPTION.match(first):
            title = m.group("rest").strip().lstrip("—:-–").strip()
            after = m.group("after").strip()
            name = _figure_name(stem, m.group("num"))
            labels[m.group("num")] = name
        elif m := ITALIC_CAPTION.match(first) or BOLD_CAPTION.match(first):
            title, after = m.group("title").strip(), m.group("after").strip()
            old = prev.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
            name = old or _slug_name(stem, title, taken, prev)
        else:
            continue
        taken.add(name)
        title = title[:1].upper() + title[1:]
        _set_figure(prev, f"**{title}** {after}".strip() if title else after, name)
        rest = rest.strip("\n")
        if rest:
            _set_source(cell, rest)
        else:
            drop.append(i)
    for i in reversed(drop):
        del cells[i]
    return labels


def link_references(cells: list[dict], labels: dict[str, str]) -> None:
    """ "Figure 3.1" in markdown and captions → ``{numref}`fig-...``` (known labels only)."""

    def sub(m: re.Match) -> str:
        name = labels.get(m.group("num"))
        return f"{{numref}}`{name}`" if name else m.group(0)

    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = _source(cell)
            new = REFERENCE.sub(sub, text)
            if new != text:
                _set_source(cell, new)
        fig = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if fig and "caption" in fig:
            fig["caption"] = REFERENCE.sub(sub, fig["caption"])


def format_notebook(nb: dict, stem: str, line_length: int = LINE_LENGTH) -> dict:
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    for cell in code:
        convert_check_comment(cell)
    for cell, new in zip(
        code, ruff_format_many([_source(c) for c in code], line_length), strict=True
    ):
        if new != _source(cell):
            _set_source(cell, new)
    hide_setup(cells)
    labels = move_captions(cells, stem)
    link_references(cells, labels)
    for cell in cells:
        _drop_empty_tags(cell)
    return nb


def dump(nb: dict) -> str:
    """The notebook as ``nbformat.write`` stores it (as tools/store_notebook.py does)."""
    import nbformat

    text = nbformat.writes(nbformat.from_dict(nb), version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def default_paths() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument(
        "--check", action="store_true", help="report, do not write; exit 1 on change"
    )
    parser.add_argument("--line-length", type=int, default=LINE_LENGTH)
    args = parser.parse_args(argv)
    changed = []
    for path in args.paths or default_paths():
        old = path.read_text(encoding="utf-8")
        nb = format_notebook(json.loads(old), path.stem, args.line_length)
        new = dump(nb)
        if new != old:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "would change" if args.check else "formatted"
    for path in changed:
        print(f"{verb}: {path}")
    if args.check and changed:
        print("run `make format` (tools/format_notebooks.py) to fix", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
