"""MACs and tags of secrets are compared in constant time (SECURITY.md, applied review).

``==`` on bytes or str stops at the first differing byte; a MAC compared that way tells a
caller who can time the answer how much of a guess was right. ``hmac.compare_digest``
takes the same time whatever matches. This reads the source: any ``==`` or ``!=`` with a
MAC or tag on either side fails, wherever it is added later.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kisi_desktop

PACKAGE = Path(kisi_desktop.__file__).parent
# A name that holds a MAC or tag: ``mac``, ``chain_mac``, ``mark.mac``, ``machine_tag``.
SECRETISH = re.compile(r"(^|_)(mac|tag)$")


def _names(node: ast.AST) -> set[str]:
    """Every variable and attribute name used in an expression."""
    found = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            found.add(inner.attr)
    return found


def _plain_comparisons(source: str) -> list[tuple[int, str]]:
    hits = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        # A length or a constant (``len(mac) != 32``, ``tag == ""``) reveals nothing.
        if any(isinstance(o, ast.Constant) for o in operands) or any(
            isinstance(o, ast.Call) and getattr(o.func, "id", "") == "len" for o in operands
        ):
            continue
        # Two presence tests (``(a is None) != (mac is None)``) compare booleans.
        if all(isinstance(o, ast.Compare) for o in operands):
            continue
        names = set().union(*(_names(o) for o in operands))
        if any(SECRETISH.search(name) for name in names):
            hits.append((node.lineno, ast.unparse(node)))
    return hits


def test_the_check_finds_a_plain_comparison_of_macs() -> None:
    assert _plain_comparisons("ok = _digest(mac) == mark.mac\n")
    assert _plain_comparisons("if key.machine_tag != tag: pass\n")
    assert not _plain_comparisons("ok = hmac.compare_digest(mac, mark.mac)\nn = len(mac) != 32\n")
    assert not _plain_comparisons("both = (seq is None) != (mac is None)\n")


def test_no_mac_or_tag_is_compared_with_equals() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _plain_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert found == []
