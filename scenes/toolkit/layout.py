"""The layout gate: what is on screen must be readable, inside the frame and not on top of other words.

:func:`layout_problems` inspects a scene at one moment, without rendering: every
text, number and formula mobject on stage that a viewer can see (any opacity
above 5 %) is a *label*. In a 3D scene a label that is not fixed in the frame is
projected through the camera first, so its box and size are what the viewer
sees. A label is a problem when

* it reaches outside the safe area (the frame less :data:`SAFE_MARGIN` on every
  side) or, unless it is the caption, below the top of the caption band;
* it is smaller than :data:`READABLE_SIZE`: a line of text at that font size is
  about 4.5 % of the frame height (Typst sizes count divided by the Typst
  scale, so the same number means the same height of text);
* its box overlaps another label's by more than :data:`OVERLAP` in both directions.

The scene harness (:func:`scenes.toolkit.testing.run_scene`) runs the gate after
every animation and wait, and :func:`~scenes.toolkit.testing.check_storyboard`
fails on what it found, so every scene's tests run it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import DecimalNumber, Mobject, Text, Typst, config

from scenes.toolkit.base import CAPTION_TOP
from scenes.toolkit.text import TYPST_SCALE

__all__ = ["OVERLAP", "READABLE_SIZE", "SAFE_MARGIN", "Label", "label_outlines", "labels_on_stage", "layout_problems"]

READABLE_SIZE = 23.5  # Pango font size; a line of text at 24 spans 4.57 % of the frame height
SAFE_MARGIN = 0.08  # frame units kept clear on every side of the frame
OVERLAP = 0.03  # boxes may touch or overlap by this much (frame units) before it counts


@dataclass(frozen=True)
class Label:
    """A label as the viewer sees it: its words, screen box (left, right, bottom, top) and font size."""

    name: str
    box: tuple[float, float, float, float]
    size: float
    caption: bool = False


def _words(mobject: Mobject) -> str:
    for key in ("original_text", "typst_code"):
        if (words := getattr(mobject, key, None)) is not None:
            return str(words)
    if isinstance(mobject, DecimalNumber):
        return f"{mobject.get_value():.{mobject.num_decimal_places}f}"
    return type(mobject).__name__


def _visible(mobject: Mobject) -> bool:
    for part in mobject.family_members_with_points():
        fill, stroke = part.get_fill_opacities(), part.get_stroke_opacities()
        if (len(fill) and np.max(fill) > 0.05) or (len(stroke) and np.max(stroke) > 0.05 and part.stroke_width > 0):
            return True
    return False


def _text_mobjects(mobject: Mobject) -> Iterator[Mobject]:
    """The outermost text, number and formula mobjects in ``mobject``'s family."""
    if isinstance(mobject, Text | Typst | DecimalNumber):
        yield mobject
        return
    for part in mobject.submobjects:
        yield from _text_mobjects(part)


def labels_on_stage(scene: Any) -> list[Label]:
    """Every visible label on stage, projected through a 3D camera where it is not fixed in the frame."""
    camera = scene.renderer.camera
    fixed = getattr(camera, "fixed_in_frame_mobjects", set())
    project = getattr(camera, "project_points", None)
    if hasattr(camera, "reset_rotation_matrix"):
        camera.reset_rotation_matrix()  # the camera's angles now (a scene run without frames never captured one)
    caption = set(scene._caption.get_family()) if getattr(scene, "_caption", None) is not None else set()
    found: dict[int, Label] = {}
    for top in scene.mobjects:
        for mobject in _text_mobjects(top):
            if id(mobject) in found or not _visible(mobject):
                continue
            points = np.vstack([m.points for m in mobject.family_members_with_points()])
            seen = points if project is None or mobject in fixed else project(points)
            scale = np.ptp(seen[:, 1]) / max(np.ptp(points[:, 1]), 1e-9)
            size = float(mobject.font_size) * scale / (1.0 if isinstance(mobject, Text) else TYPST_SCALE)
            box = (*(float(v) for v in (seen[:, 0].min(), seen[:, 0].max(), seen[:, 1].min(), seen[:, 1].max())),)
            found[id(mobject)] = Label(_words(mobject)[:40], box, size, mobject in caption)
    return list(found.values())


def label_outlines(scene: Any) -> list[np.ndarray]:
    """The box of every label on stage as a 5 × 5 grid of screen points, for a placer to keep off.

    Labels that move (the name at an arrow's tip) are where they are now: call it again when they move.
    """
    outlines = []
    for label in labels_on_stage(scene):
        left, right, bottom, top = label.box
        xs, ys = np.meshgrid(np.linspace(left, right, 5), np.linspace(bottom, top, 5))
        outlines.append(np.stack([xs.ravel(), ys.ravel(), np.zeros(xs.size)], axis=-1))
    return outlines


def layout_problems(scene: Any) -> list[str]:
    """What breaks the layout rules now (see the module docstring), one sentence each; empty when all is well.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from manim import Text
    >>> stage = SimpleNamespace(renderer=SimpleNamespace(camera=None), _caption=None)
    >>> stage.mobjects = [Text("on the edge", font_size=30).move_to([7.0, 0, 0]), Text("tiny", font_size=10)]
    >>> for problem in layout_problems(stage):
    ...     print(problem)
    'on the edge' reaches outside the frame's safe area
    'tiny' is too small to read: size 10.0 < 23.5
    """
    half_w, half_h = config.frame_width / 2 - SAFE_MARGIN, config.frame_height / 2 - SAFE_MARGIN
    labels, problems = labels_on_stage(scene), []
    band = getattr(getattr(scene, "settings", None), "captions", True)  # with captions off the band is free
    for label in labels:
        left, right, bottom, top = label.box
        if left < -half_w or right > half_w or bottom < -half_h or top > half_h:
            problems.append(f"'{label.name}' reaches outside the frame's safe area")
        elif band and not label.caption and bottom < CAPTION_TOP:
            problems.append(f"'{label.name}' reaches into the caption band (bottom {bottom:.2f} < {CAPTION_TOP})")
        if label.size < READABLE_SIZE:
            problems.append(f"'{label.name}' is too small to read: size {label.size:.1f} < {READABLE_SIZE}")
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            across = min(a.box[1], b.box[1]) - max(a.box[0], b.box[0])
            up = min(a.box[3], b.box[3]) - max(a.box[2], b.box[2])
            if across > OVERLAP and up > OVERLAP:
                problems.append(f"'{a.name}' overlaps '{b.name}'")
    return problems
