"""Which rows a user reads is decided in one place: the models' querysets,
`Model.objects.visible_to(user)`. These checks read the package's source and fail when a
second mechanism appears: a `visible_…` helper outside a queryset, the project rule used
outside the models, or a page, an API view, a selector or an export filtering rows with the
membership primitives of core/access.py instead of visible_to."""

from __future__ import annotations

import ast
from pathlib import Path

import zhaoshang

PACKAGE = Path(zhaoshang.__file__).parent

# Functions with "visible" in their name that are not row visibility.
NOT_ROWS = {
    ("core/templatetags/masking.py", "contacts_visible_to"): "masks contact fields of a row already read",
}

# The rule behind visible_to for projects and the rows read with them.
PROJECT_RULE = {"project_q", "add_project_rule", "_project_rules"}
PROJECT_RULE_USERS = {"tickets/apps.py"}  # registers the tickets app's rule at start-up

# core.access primitives that say which zones, units and parks a user belongs to.
PRIMITIVES = {"memberships", "zone_ids", "zone_wide_ids", "unit_ids", "park_ids", "observer_zone_ids", "manager_zone_ids"}
# Modules that read rows for people. They may use the primitives only for what a user may
# *do* (each use listed with its reason), never to choose rows.
READERS = ("views.py", "selectors.py", "serializers.py", "filters.py", "export.py", "context_processors.py")
CAPABILITY_USES = {
    ("api/views.py", "zone_ids"): "creating a project: may the user write in the zone",
    ("api/views.py", "memberships"): "creating a project: the unit member's own unit as its default",
    ("api/serializers.py", "zone_ids"): "the zones where the user may register an investor",
    ("api/ticket_views.py", "memberships"): "the user's departments for the 'mine' filter",
    ("api/ticket_views.py", "observer_zone_ids"): "may the user read ticket statistics",
    ("tickets/views.py", "memberships"): "the user's departments for the 'mine' filter and the steps they may take",
    ("campaigns/views.py", "unit_ids"): "the units a trip may be planned for",
    ("core/views.py", "manager_zone_ids"): "the other zones' roles a manager may see on a user's form",
    ("core/context_processors.py", "memberships"): "the zone switcher, from the memberships already read",
    ("dashboard/selectors.py", "zone_ids"): "whose whole-zone figures (cockpit side by side) the user reads",
}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in relative:
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _functions(tree):
    """(name, enclosing class or None) of every function in the module."""
    found = []

    def walk(node, owner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, child.name)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((child.name, owner))
                walk(child, owner)
            else:
                walk(child, owner)

    walk(tree, None)
    return found


def _names_used(tree) -> set[str]:
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.alias):
            used.add(node.name.rsplit(".", 1)[-1])
    return used


def visibility_functions_outside_querysets() -> list[str]:
    problems = []
    for relative, tree in _sources():
        for name, owner in _functions(tree):
            if "visible" not in name.lower() or (relative, name) in NOT_ROWS:
                continue
            in_queryset = relative.endswith("models.py") and owner is not None and owner.endswith(("QuerySet", "Manager"))
            if not in_queryset:
                problems.append(f"{relative}: {owner + '.' if owner else ''}{name}")
    return problems


def project_rule_outside_models() -> list[str]:
    problems = []
    for relative, tree in _sources():
        if relative.endswith("models.py") or relative in PROJECT_RULE_USERS:
            continue
        for name in sorted(_names_used(tree) & PROJECT_RULE):
            problems.append(f"{relative}: {name}")
    return problems


def _access_uses(tree) -> set[str]:
    """Names of core.access used as access.<name> or imported from it."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "access":
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module == "zhaoshang.core.access":
            used.update(alias.name for alias in node.names)
    return used


def primitives_in_readers() -> list[str]:
    problems = []
    for relative, tree in _sources():
        if not relative.endswith(READERS):
            continue
        for name in sorted(_access_uses(tree) & PRIMITIVES):
            if (relative, name) not in CAPABILITY_USES:
                problems.append(f"{relative}: access.{name}")
    return problems


def test_no_row_visibility_function_outside_the_querysets():
    assert visibility_functions_outside_querysets() == []


def test_the_project_rule_is_used_by_the_models_only():
    assert project_rule_outside_models() == []


def test_pages_api_and_exports_choose_rows_with_visible_to_only():
    assert primitives_in_readers() == []


def test_the_allowances_name_real_uses():
    """An allowance left behind after its use went away would let a new one in unnoticed."""
    used = {}
    for relative, tree in _sources():
        used[relative] = _access_uses(tree) | {name for name, _owner in _functions(tree)}
    stale = [f"{path}: {name}" for path, name in [*CAPABILITY_USES, *NOT_ROWS] if name not in used.get(path, set())]
    assert stale == []


def test_the_guard_catches_a_second_mechanism(tmp_path, monkeypatch):
    """Each check fails on a module that brings a second mechanism back."""
    fake = tmp_path / "zhaoshang"
    (fake / "widgets").mkdir(parents=True)
    (fake / "widgets" / "selectors.py").write_text(
        "from zhaoshang.core import access\n"
        "from zhaoshang.projects.models import project_q\n\n"
        "def visible_widgets(user):\n"
        "    return Widget.objects.filter(zone_id__in=access.zone_ids(user))\n",
        encoding="utf-8",
    )
    (fake / "widgets" / "models.py").write_text(
        "class WidgetQuerySet:\n    def visible_to(self, user):\n        return self\n", encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert visibility_functions_outside_querysets() == ["widgets/selectors.py: visible_widgets"]
    assert project_rule_outside_models() == ["widgets/selectors.py: project_q"]
    assert primitives_in_readers() == ["widgets/selectors.py: access.zone_ids"]
