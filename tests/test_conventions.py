"""House rules a reviewer would otherwise have to remember.

1. One definition per constant: a public module-level constant name (UPPER_CASE) is defined in one
   module of the package (atlas/, loaders/) and imported elsewhere; and no two modules spell out the
   same literal list of three or more values under different names (LEVELS vs SERIES_LEVELS), nor a list
   that is the keys of another module's dict.
2. Streamlit only in the glue: pure modules are tested without Streamlit, so `import streamlit`
   appears only in app.py, pages/ and the glue folder atlas/ui/; and no pure module reaches the glue,
   directly or through another module.
3. Floors: loaders/ (reading, validating, joining, shared geometry) stands on nothing of ours;
   atlas/ (the app's logic) and pipeline/ (the offline build) stand on loaders/; nothing imports a
   page; and no two modules import each other, directly or round a longer circle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from benchmarks.common import ROOT

PACKAGES = ("atlas", "loaders", "pipeline")

# Where Streamlit may be imported: the app entry, the pages and the glue folder.
GLUE = ("app.py", "pages", "atlas/ui")


def _is_glue(module: str) -> bool:
    path = module.replace(".", "/")
    return any(path == g.removesuffix(".py") or path.startswith(g + "/") or path == g for g in GLUE)


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _constants(path: Path, private: bool = False) -> dict[str, ast.expr]:
    """UPPER_CASE names assigned at module level (with `private`, _UPPER_CASE too) -> their value."""
    found: dict[str, ast.expr] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper() and (private or not target.id.startswith("_")):
                found[target.id] = value
    return found


def _literal(value: ast.expr) -> object | None:
    if isinstance(value, ast.Call) and ast.unparse(value.func) == "re.compile" and value.args:
        return ("re.compile", ast.unparse(value.args[0]))  # the same pattern compiled twice
    try:
        literal = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(literal, (tuple, list)) and len(literal) >= 3:
        return tuple(map(repr, literal))  # in order: the same values in another order can mean another thing
    if isinstance(literal, (set, frozenset)) and len(literal) >= 3:
        return tuple(sorted(map(repr, literal)))
    if isinstance(literal, dict) and len(literal) >= 3:
        return tuple(map(repr, literal))  # its keys, as a list of them would be spelled
    return None


# The export formats: loaders/match/export.py (another change holds it) spells FILE_FORMATS beside the keys
# of atlas.export.FORMATS; one should come from the other (FORMATS' suffix and MIME type in loaders).
SPELLED_TWICE_IN_FILES_OF_ANOTHER_CHANGE = [{"atlas/export.py:FORMATS", "loaders/match/export.py:FILE_FORMATS"}]


def test_each_constant_is_defined_once() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    by_value: dict[object, list[tuple[str, str]]] = defaultdict(list)
    for path in [ROOT / "app.py", *_modules("pages", "benchmarks", *PACKAGES)]:
        where = str(path.relative_to(ROOT))
        for name, value in _constants(path, private=True).items():
            if not name.startswith("_"):
                by_name[name].append(where)
            literal = _literal(value)
            if literal is not None:
                kind = "dict" if isinstance(value, ast.Dict) else "list"
                by_value[literal].append((kind, f"{where}:{name}"))
    twice = {name: places for name, places in by_name.items() if len(places) > 1}
    assert not twice, f"define each constant once and import it: {twice}"
    # Two dicts with the same keys may be two tables of one thing (a translation beside its English).
    copies = [
        places
        for places in by_value.values()
        if len(places) > 1
        and not all(p[0] == "dict" for p in places)
        and {p for _, p in places} not in SPELLED_TWICE_IN_FILES_OF_ANOTHER_CHANGE
    ]
    assert not copies, f"the same list is spelled out twice: {[[p for _, p in c] for c in copies]}"


def _imports_streamlit(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            return True
    return False


def test_streamlit_only_in_the_glue() -> None:
    outside = [
        str(p.relative_to(ROOT)) for p in _modules(*PACKAGES) if _imports_streamlit(p) and not _is_glue(_module_name(p))
    ]
    assert not outside, f"Streamlit imported outside app.py, pages/ and atlas/ui/: {outside}"


def _glue_reached(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Each pure module that reaches a glue module -> the import path that gets there."""
    reached: dict[str, list[str]] = {}
    for start in graph:
        if _is_glue(start):
            continue
        seen, stack = {start}, [[start]]
        while stack:
            path = stack.pop()
            hit = next((m for m in sorted(graph[path[-1]]) if _is_glue(m)), None)
            if hit is not None:
                reached[start] = [*path, hit]
                break
            for dep in sorted(graph[path[-1]] - seen):
                seen.add(dep)
                stack.append([*path, dep])
    return reached


def test_pure_modules_do_not_reach_the_glue() -> None:
    reached = _glue_reached(_import_graph())
    assert not reached, f"pure modules that import the Streamlit glue, directly or through others: {reached}"


def test_the_glue_check_sees_an_import_through_another_module() -> None:
    graph = {"atlas.facts": {"atlas.legend"}, "atlas.legend": {"atlas.ui.resources"}, "atlas.ui.resources": set()}
    assert _glue_reached(graph) == {
        "atlas.facts": ["atlas.facts", "atlas.legend", "atlas.ui.resources"],
        "atlas.legend": ["atlas.legend", "atlas.ui.resources"],
    }


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _our_imports(path: Path) -> set[str]:
    """The modules of ours that `path` imports, at any depth of its code (a deferred import counts)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names if n.split(".")[0] in (*PACKAGES, "pages", "app")}
    return found


def _import_graph() -> dict[str, set[str]]:
    paths = [ROOT / "app.py", *_modules("pages", *PACKAGES)]
    modules = {_module_name(p): p for p in paths}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _our_imports(path) if m in modules and m != name}
    return graph


def test_loaders_stand_on_nothing_above_them() -> None:
    climbing = {
        name: sorted(m for m in deps if m.split(".")[0] in ("atlas", "pipeline", "pages", "app"))
        for name, deps in _import_graph().items()
        if name.startswith("loaders")
    }
    assert not {k: v for k, v in climbing.items() if v}, f"loaders/ imports from the floors above it: {climbing}"


def test_nothing_imports_a_page() -> None:
    importers = {name: sorted(m for m in deps if m.startswith("pages")) for name, deps in _import_graph().items()}
    assert not {k: v for k, v in importers.items() if v}, f"a page is imported: {importers}"


def test_no_import_cycles() -> None:
    graph = _import_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep) :] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, f"modules import each other: {cycles}"


# Keys the Import page still builds with f-strings (pages/import_data.py, atlas/ui/import_flags.py,
# atlas/ui/import_export.py, atlas/imported/report.py: another change holds those files); to be written
# whole there, then dropped here.
KEYS_BUILT_BY_THE_IMPORT_PAGE = {
    *("import_complete_areas", "import_complete_national", "import_complete_no", "import_complete_provinces"),
    *("import_paste", "import_upload", "import_user_flag"),
    *("import_role_code", "import_role_prefecture", "import_role_province", "import_role_year"),
    *("read_count_differs", "read_duplicate_rows", "read_no_province_cell", "read_title_rows", "read_total_rows"),
    *("import_form_long", "import_form_long_note", "import_form_rows", "import_form_rows_note"),
    *("import_form_wide", "import_form_wide_note"),
    *("read_note_rows", "read_pasted_notes", "read_pasted_titles", "read_subtotal_rows"),
}


def test_every_catalogue_key_has_a_user_written_whole() -> None:
    """A key is found by grep: each is written whole somewhere outside the catalogue (no f-string keys)."""
    from atlas.i18n import STRINGS

    written: set[str] = set()
    for path in [ROOT / "app.py", *_modules("pages", *PACKAGES)]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path.name == "i18n.py":  # the catalogue's own keys are not uses
            tree.body = [n for n in tree.body if "STRINGS" not in {getattr(t, "id", "") for t in _targets(n)}]
        written |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    unused = sorted(set(STRINGS) - written - KEYS_BUILT_BY_THE_IMPORT_PAGE)
    assert not unused, f"catalogue keys nobody writes whole (write them where they are used): {unused}"
    assert not KEYS_BUILT_BY_THE_IMPORT_PAGE & written, "written whole now: drop them from the list above"


def _targets(node: ast.stmt) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []


def test_the_drawn_plan_is_current() -> None:
    import plan

    assert plan.drawn(plan.DOC.read_text(encoding="utf-8")) == plan.diagram(), "run: .venv/bin/python tests/plan.py"
