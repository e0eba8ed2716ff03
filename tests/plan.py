"""The plan drawn from the imports: a Mermaid diagram of the packages and which imports which, kept in
docs/architecture.md between PLAN_BEGIN and PLAN_END. `.venv/bin/python tests/plan.py` writes it there;
tests/test_conventions.py fails when the committed drawing is not the one the imports give."""

from __future__ import annotations

import re

from test_conventions import ROOT, _import_graph

DOC = ROOT / "docs" / "architecture.md"
PLAN_BEGIN = "<!-- plan: drawn by `.venv/bin/python tests/plan.py`, checked by tests/test_conventions.py -->"
PLAN_END = "<!-- plan: end -->"
# The boxes, most specific first: a module belongs to the first whose name starts its own.
BOXES = {
    "app": "app.py",
    "pages": "pages/",
    "atlas.ui": "atlas/ui/ (Streamlit glue)",
    "atlas.imported": "atlas/imported/",
    "atlas": "atlas/ (pure logic)",
    "loaders.match": "loaders/match/",
    "loaders": "loaders/",
    "pipeline": "pipeline/ (offline build)",
}
GLUE = ("app", "pages", "atlas.ui")


def box(module: str) -> str:
    return next(b for b in BOXES if module == b or module.startswith(b + "."))


def diagram() -> str:
    edges = sorted(
        {(box(m), box(d)) for m, deps in _import_graph().items() for d in deps if box(m) != box(d)},
        key=lambda e: (list(BOXES).index(e[0]), list(BOXES).index(e[1])),
    )
    ident = {b: b.replace(".", "_") for b in BOXES}
    lines = ["```mermaid", "flowchart TD", '    subgraph glue["may import Streamlit"]']
    lines += [f'        {ident[b]}["{BOXES[b]}"]' for b in GLUE]
    lines.append("    end")
    lines += [f'    {ident[b]}["{BOXES[b]}"]' for b in BOXES if b not in GLUE]
    lines += [f"    {ident[a]} --> {ident[b]}" for a, b in edges]
    return "\n".join([*lines, "```"])


def drawn(text: str) -> str | None:
    found = re.search(re.escape(PLAN_BEGIN) + r"\n(.*?)\n" + re.escape(PLAN_END), text, flags=re.DOTALL)
    return found.group(1) if found else None


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    old = drawn(text)
    if old is None:
        raise SystemExit(f"{DOC}: no {PLAN_BEGIN} … {PLAN_END} block")
    DOC.write_text(text.replace(old, diagram()), encoding="utf-8")
    print(f"wrote the plan into {DOC.relative_to(ROOT)}")
