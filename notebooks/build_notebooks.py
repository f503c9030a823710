"""Builds the .ipynb notebooks from their sources in notebooks/src/ (outputs are left empty).

Each source is a Python file in the "percent" format: a line ``# %% [markdown]`` starts a
markdown cell whose lines are comments (``# text``); a line ``# %%`` starts a code cell. The
sources are what to edit and review; the notebooks are generated from them and then executed:

    python3 notebooks/build_notebooks.py                 # write notebooks/*.ipynb, no outputs
    just notebooks                                       # build egov, write, execute in place

Outputs are therefore never edited by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"


def parse(text: str) -> list[tuple[str, str]]:
    """Splits a percent-format source into (kind, text) cells."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line else "code"
            cells.append((kind, []))
            continue
        if not cells:
            continue  # the module docstring / header before the first cell
        kind, lines = cells[-1]
        if kind == "markdown":
            if line.startswith("# "):
                line = line[2:]
            elif line.strip() == "#":
                line = ""
            elif line.strip():
                raise ValueError(f"markdown line without '# ': {line!r}")
        lines.append(line)
    result = []
    for kind, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            result.append((kind, "\n".join(lines)))
    return result


def build(source: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in parse(source.read_text(encoding="utf-8")):
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(text))
    # Stable cell ids keep diffs of regenerated notebooks small.
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{source.stem[:2]}-{index:03d}"
    nbformat.validate(nb)
    return nb


def main(names: list[str]) -> None:
    sources = sorted(SOURCES.glob("*.py"))
    if names:
        sources = [s for s in sources if any(s.stem.startswith(n) for n in names)]
    for source in sources:
        target = HERE / f"{source.stem}.ipynb"
        nbformat.write(build(source), target)
        print(f"wrote {target.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
