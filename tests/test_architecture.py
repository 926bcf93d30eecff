"""The layout docs/architecture.md describes: which app may import which, no import circles,
models free of views, admin, forms and caching, and no module over 500 lines."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# What each app may import besides Django and libraries (docs/architecture.md). newsroom wires
# the apps together and may import any of them.
MAY_IMPORT = {
    "pagecache": set(),
    "throttle": set(),
    "images": {"pagecache"},
    "articles": {"pagecache", "images"},
    "comments": {"articles", "pagecache", "throttle"},
    "newsletter": {"articles", "pagecache", "throttle"},
    "ingest": {"articles", "comments", "desk", "images"},
    "desk": {"articles", "comments", "images", "newsletter", "pagecache"},
}
APPS = {*MAY_IMPORT, "newsroom"}
MAX_LINES = 500


def modules():
    """(module name, path) of every Python module of the apps."""
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


def imports(name, path, *, top_level_only=False):
    """The project modules `path` (module `name`) imports, absolute names: for `from package
    import submodule`, the submodule."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES
            found.update(submodules or {base})
    return {module for module in found if module.split(".")[0] in APPS}


MODULES = {name for name, _ in modules()}


def test_each_app_imports_only_what_the_architecture_allows():
    wrong = []
    for name, path in modules():
        app = name.split(".")[0]
        if app == "newsroom":
            continue
        for module in imports(name, path):
            other = module.split(".")[0]
            if other != app and other not in MAY_IMPORT[app]:
                wrong.append(f"{name} imports {module}")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_no_app_imports_the_project_wiring():
    wrong = [
        f"{name} imports {module}"
        for name, path in modules()
        if not name.startswith("newsroom")
        for module in imports(name, path)
        if module.startswith("newsroom")
    ]
    assert not wrong, "\n".join(wrong)


def test_models_import_no_views_admin_forms_or_cache():
    forbidden = ("views", "admin", "forms", "pagecache", "cache")
    wrong = []
    for name, path in modules():
        if ".models" not in f".{name}" or ".migrations" in name:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(alias.name for alias in node.names)]
            wrong += [f"{name}: {n}" for n in names if set(n.split(".")) & set(forbidden)]
    assert not wrong, "\n".join(wrong)


def test_no_import_circles_between_modules():
    graph = {name: imports(name, path, top_level_only=True) for name, path in modules()}
    graph = {name: {m for m in found if m in graph and m != name} for name, found in graph.items()}
    circles, done = [], set()

    def visit(name, trail):
        if name in trail:
            circles.append(" -> ".join([*trail[trail.index(name) :], name]))
            return
        if name in done:
            return
        for target in graph[name]:
            visit(target, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])
    assert not circles, "\n".join(circles)


def test_no_module_is_over_500_lines():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for name, path in modules()
        if ".migrations." not in f".{name}."
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)
