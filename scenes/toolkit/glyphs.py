"""Typeset text and formulas built fast: glyphs that copy cheaply, parsed once per machine.

Two costs of Manim 0.22 dominate building a clip (and so every dry run and
section preview), and :func:`speed_up_glyphs`, run once when the toolkit is
imported, removes both without changing a single point:

* **Copies.** Every glyph of a ``Text``, ``MathTypst`` or brace is a
  ``VMobjectFromSVGPath``, which keeps the ``svgelements.Path`` it was built
  from in ``path_obj``. Nothing reads it after ``generate_points``, but every
  ``copy()`` deep-copies it: a caption line of 48 glyphs copied in 44 ms with
  its paths and in 8 ms without, and ``FadeIn``, ``Transform`` and Manim's own
  SVG cache copy their mobjects at every use. A glyph now drops its path as
  soon as its points exist.
* **Parsing.** Manim turns the typeset SVG into mobjects with ``svgelements``
  and a Python loop over every path segment: about 0.2 s for a caption line
  and 0.1–0.4 s for a formula, paid again by every render of every clip,
  although the SVG files themselves are cached. What ``generate_mobject``
  builds is now kept as a pickle named by a hash of the SVG's bytes and of
  every setting the parse depends on (the class, its style defaults, path
  settings and Typst labels, Manim's version); loading it takes about 2 ms.

The parse cache lives in ``$LECTURE_GLYPHS`` if that is set (the renderer
points it into the shared typesetting cache), else in ``<media_dir>/glyphs``.
Files are written under a temporary name and moved into place with one
``os.replace``, so parallel renders never see half a file; an unreadable one is
parsed again and rewritten. The files are Python pickles: like the scenes'
own code, they are trusted because the project itself wrote them.

Examples
--------
>>> from manim import Text
>>> glyph = Text("a")[0]
>>> hasattr(glyph, "path_obj")
False
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import manim
from manim import config
from manim.mobject.svg.svg_mobject import SVGMobject, VMobjectFromSVGPath

__all__ = ["ENV_GLYPHS", "glyph_folder", "speed_up_glyphs"]

ENV_GLYPHS = "LECTURE_GLYPHS"  # the folder of parsed glyphs; unset: <media_dir>/glyphs
_FORMAT = "1"  # bump when what is stored changes


def glyph_folder() -> Path:
    """Where parsed glyphs are kept: ``$LECTURE_GLYPHS``, else ``<media_dir>/glyphs``.

    Examples
    --------
    >>> glyph_folder().name
    'glyphs'
    """
    named = os.environ.get(ENV_GLYPHS)
    return Path(named) if named else Path(config.media_dir) / "glyphs"


def _key(svg: SVGMobject) -> str:
    """A hash of everything ``generate_mobject`` reads: the SVG's bytes and the settings that shape the parse."""
    file = svg.get_file_path()
    settings = [repr(part) for part in svg.hash_seed if part != svg.file_name]
    settings += [repr(getattr(svg, "_svg_leaf_labels", None)), type(svg).__module__, type(svg).__qualname__]
    digest = hashlib.sha256(f"{_FORMAT}\0{manim.__version__}\0{chr(0).join(settings)}\0".encode())
    digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:32]


def _made_by(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The attributes that parsing set: new, rebound, or lists and dicts it filled."""
    made = {}
    for name, value in after.items():
        old = before.get(name)
        if name not in before or old[0] is not value or (old[1] is not None and old[1] != len(value)):
            made[name] = value
    return made


def _shape(value: Any) -> tuple[Any, int | None]:
    return value, len(value) if isinstance(value, list | dict) else None


def _load(path: Path) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        stored = pickle.loads(path.read_bytes())
        if isinstance(stored, dict):
            return stored
    return None


def _store(path: Path, made: dict[str, Any]) -> None:
    """Write ``made`` to ``path`` in one ``os.replace``; a full disk or read-only folder only costs the next parse."""
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(made, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _forget_paths(generate_points: Any) -> Any:
    def generate_points_and_forget(self: VMobjectFromSVGPath, *args: Any, **kwargs: Any) -> Any:
        result = generate_points(self, *args, **kwargs)
        self.__dict__.pop("path_obj", None)  # read by generate_points only; deep-copied by every copy()
        return result

    return generate_points_and_forget


def _cached(generate_mobject: Any) -> Any:
    def generate_or_load(self: SVGMobject) -> Any:
        try:
            path = glyph_folder() / f"{_key(self)}.pickle"
        except OSError:  # no SVG file: Manim's own call raises the clear error
            return generate_mobject(self)
        stored = _load(path)
        if stored is not None:
            self.__dict__.update(stored)
            return self
        before = {name: _shape(value) for name, value in self.__dict__.items()}
        generate_mobject(self)
        _store(path, _made_by(before, self.__dict__))
        return self

    return generate_or_load


def speed_up_glyphs() -> None:
    """Glyphs drop their parsed path, and parsed SVGs are kept on disk; calling it again changes nothing.

    Examples
    --------
    >>> speed_up_glyphs(); speed_up_glyphs()
    >>> from manim import MathTypst
    >>> any(hasattr(m, "path_obj") for m in MathTypst("x^2").family_members_with_points())
    False
    """
    if getattr(SVGMobject.generate_mobject, "speeded_up", False):
        return
    VMobjectFromSVGPath.generate_points = _forget_paths(VMobjectFromSVGPath.generate_points)
    SVGMobject.generate_mobject = _cached(SVGMobject.generate_mobject)
    SVGMobject.generate_mobject.speeded_up = True
