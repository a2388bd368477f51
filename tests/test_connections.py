"""Control flow in sight: every receiver and hook is connected in its app's AppConfig.ready(),
never as a side effect of importing a module (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "assurance", "directed_development", "leaguetable", "watchlists", "wcc")
HOOKS = (
    "league_column",
    "league_filter",
    "profile_section",
    "methodology_section",
    "publication_preview",
    "import_preview",
)
CONNECTING_CALLS = {"connect", *(f"add_{hook}" for hook in HOOKS)}


def connections_outside_ready(path: Path, root: Path = ROOT) -> list[str]:
    """Each `@receiver`, and each call that connects a receiver or adds a hook, outside an
    AppConfig.ready() (a method named ready in an apps.py)."""
    found = []
    where = path.relative_to(root)

    def visit(node, in_ready: bool):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(target, "id", getattr(target, "attr", None)) == "receiver":
                    found.append(f"{where}:{node.lineno} @receiver")
            in_ready = in_ready or (node.name == "ready" and path.name == "apps.py")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CONNECTING_CALLS
            and not in_ready
        ):
            found.append(f"{where}:{node.lineno} .{node.func.attr}()")
        for child in ast.iter_child_nodes(node):
            visit(child, in_ready)

    visit(ast.parse(path.read_text(), filename=str(path)), False)
    return found


def test_nothing_is_connected_outside_an_apps_ready():
    paths = [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]
    assert len(paths) > 100  # the scan reads the project, not an empty folder
    assert [line for path in paths for line in connections_outside_ready(path)] == []


def test_the_scan_finds_what_connects_on_import_and_passes_a_ready(tmp_path):
    module = tmp_path / "signals_on_import.py"
    module.write_text(
        "from django.dispatch import receiver\n"
        "@receiver(signal)\n"
        "def on_signal(sender, **kwargs): ...\n"
        "signal.connect(on_signal)\n"
        "extensions.add_profile_section(on_signal)\n"
    )
    apps_module = tmp_path / "apps.py"
    apps_module.write_text(
        "class Config:\n    def ready(self):\n        signal.connect(on_signal)\n"
    )
    assert connections_outside_ready(module, tmp_path) == [
        "signals_on_import.py:3 @receiver",
        "signals_on_import.py:4 .connect()",
        "signals_on_import.py:5 .add_profile_section()",
    ]
    assert connections_outside_ready(apps_module, tmp_path) == []
