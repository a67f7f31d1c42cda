"""The habits the code base keeps, checked on its own source.

* No function or method in ``scenes/`` or ``gradcore/`` is longer than
  ``MAX_FUNCTION_LINES`` lines of code (docstrings, comment-only and blank
  lines are not counted).
* A clip module in ``scenes/`` stays the storyboard of one clip: at most
  ``MAX_SCENE_LINES`` lines, and it never converts between gradcore
  coordinates and screen points by hand (no ``c2p`` / ``p2c``; that is the job
  of ``scenes/toolkit/landscape.py``).
* ``gradcore`` never imports manim.

Each failure lists every offender with its count, so one run shows all the work left.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scenes", "gradcore")
NOT_CLIPS = {
    "__init__",
    "__main__",
    "catalog",
    "chapters",
    "preview",
    "render",
}  # modules of scenes/ that are not one clip each

MAX_FUNCTION_LINES = 60
MAX_SCENE_LINES = 500
HAND_CONVERSION = re.compile(r"c2p|p2c")

_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def code_lines(source: str) -> set[int]:
    """Numbers of the lines that hold a token other than a comment (a string spanning lines marks them all)."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines


def _docstring_lines(node: ast.AST) -> set[int]:
    if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return set(range(first.lineno, first.end_lineno + 1))
    return set()


def function_lengths(source: str) -> dict[str, int]:
    """Lines of code of every function and method in ``source``, by qualified name.

    A function's lines run from its ``def`` to its last line, nested functions
    included; its own docstring and every nested docstring, comment-only lines
    and blank lines are left out.
    """
    tree = ast.parse(source)
    code = code_lines(source)
    docstrings = set().union(*(_docstring_lines(n) for n in ast.walk(tree)))
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                span = set(range(child.lineno, child.end_lineno + 1))
                lengths[name] = len((span & code) - docstrings)
                visit(child, f"{name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return lengths


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _clip_modules() -> list[Path]:
    return [path for path in sorted((ROOT / "scenes").glob("*.py")) if path.stem not in NOT_CLIPS]


def _report(offenders: dict[str, int], what: str) -> str:
    rows = "\n".join(f"  {name}: {count}" for name, count in sorted(offenders.items(), key=lambda kv: -kv[1]))
    return f"{len(offenders)} {what}:\n{rows}"


def test_function_length_counts_code_lines_only() -> None:
    source = textwrap.dedent('''
        def short(x):
            """A docstring

            over several lines.
            """
            # a comment-only line

            y = x + 1  # a comment beside code counts as code
            return (y,
                    y)


        class Shape:
            def area(self):
                def inner():
                    """Nested docstring."""
                    return 2
                text = """a string
                that is not a docstring"""
                return inner() * len(text)
    ''')
    assert function_lengths(source) == {
        "short": 4,  # def, y = …, and the two lines of the return
        "Shape.area": 6,  # def, def inner, return 2, the two string lines, return
        "Shape.area.<locals>.inner": 2,
    }


def test_no_function_is_longer_than_60_lines_of_code() -> None:
    offenders = {}
    for package in PACKAGES:
        for path in _modules(package):
            for name, length in function_lengths(path.read_text(encoding="utf-8")).items():
                if length > MAX_FUNCTION_LINES:
                    offenders[f"{path.relative_to(ROOT)}::{name}"] = length
    assert not offenders, _report(offenders, f"functions over {MAX_FUNCTION_LINES} lines of code; split them")


def test_clip_modules_never_convert_coordinates_by_hand() -> None:
    offenders = {}
    for path in _clip_modules():
        count = len(HAND_CONVERSION.findall(path.read_text(encoding="utf-8")))
        if count:
            offenders[str(path.relative_to(ROOT))] = count
    assert not offenders, _report(
        offenders, "clip modules calling c2p/p2c (occurrences); go through scenes/toolkit/landscape.py LandscapeView"
    )


def test_clip_modules_are_at_most_500_lines() -> None:
    offenders = {}
    for path in _clip_modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        name = str(path.relative_to(ROOT))
        if count > MAX_SCENE_LINES:
            offenders[name] = count
    assert not offenders, _report(offenders, f"clip modules over {MAX_SCENE_LINES} lines; move helpers to the toolkit")


def test_gradcore_never_imports_manim() -> None:
    offenders = {}
    for path in _modules("gradcore"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0].startswith("manim") for name in names):
                offenders[f"{path.relative_to(ROOT)}:{node.lineno}"] = 1
    assert not offenders, _report(offenders, "manim imports in gradcore")

    # Nor through a dependency: import every gradcore module in a fresh interpreter.
    program = (
        "import importlib, pkgutil, sys, gradcore\n"
        "for m in pkgutil.walk_packages(gradcore.__path__, 'gradcore.'): importlib.import_module(m.name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0].startswith('manim'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"importing gradcore loads {result.stdout.strip()}"
