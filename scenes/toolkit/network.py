"""A computation graph on screen: boxes for nodes, arrows for edges, labels on both.

:class:`NodeGraph` lays out named nodes at given centres (a box with the node's
name, and room for a value under it), draws an arrow from each input to the node
that uses it, and places labels: a node's value inside its box
(:meth:`NodeGraph.value`), a local derivative beside an edge
(:meth:`NodeGraph.edge_label`), and anything under a node's column
(:meth:`NodeGraph.under`). Positions are screen coordinates chosen by the scene;
the graph only turns them into mobjects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Animation, Dot, Mobject, RoundedRectangle, VGroup, VMobject, config

from scenes.toolkit.fields import arrow
from scenes.toolkit.graph import Graph, value_range
from scenes.toolkit.plotting import fit_width

__all__ = ["Fade", "NodeGraph", "NodeSpec", "tangent_chart"]


@dataclass(frozen=True)
class NodeSpec:
    """Where a node sits (its box's centre) and how large its box is."""

    centre: tuple[float, float]
    width: float = 1.6
    height: float = 1.15


class NodeGraph:
    """Boxes and arrows of a small computation graph, and the labels a scene writes on them.

    Parameters
    ----------
    nodes
        Name → :class:`NodeSpec`.
    edges
        ``(input, node)`` pairs: an arrow from the input's box to the node's box.
    names
        Name → the mobject written at the top of the node's box (e.g. a formula ``hat(y)``).
    colour, edge_colour
        Box outline and arrow colours.

    Examples
    --------
    >>> from manim import Dot
    >>> graph = NodeGraph({"x": NodeSpec((-2, 0)), "z": NodeSpec((2, 0))}, [("x", "z")],
    ...                   {"x": Dot(), "z": Dot()}, "#FFFFFF", "#CCCCCC")
    >>> round(float(graph.arrows[("x", "z")].get_start()[0]), 2), round(float(graph.arrows[("x", "z")].get_end()[0]), 2)
    (-1.14, 1.14)
    """

    def __init__(
        self,
        nodes: Mapping[str, NodeSpec],
        edges: Sequence[tuple[str, str]],
        names: Mapping[str, Mobject],
        colour: str,
        edge_colour: str,
        gap: float = 0.06,
    ) -> None:
        self.specs = dict(nodes)
        self.boxes: dict[str, VGroup] = {}
        for name, spec in self.specs.items():
            frame = RoundedRectangle(corner_radius=0.12, width=spec.width, height=spec.height)
            frame.set_stroke(colour, width=3).set_fill(opacity=0).move_to([*spec.centre, 0])
            title = fit_width(names[name], spec.width - 0.2)
            if spec.height > 0.9:  # room for a value below the name
                title.move_to(frame.get_top() + DOWN * (0.08 + title.height / 2))
            else:  # a one-line box: the name on the left, its value beside it
                title.move_to(frame).set_x(frame.get_left()[0] + 0.15, direction=LEFT)
            self.boxes[name] = VGroup(frame, title)
        self.arrows = {edge: self._arrow(*edge, edge_colour, gap) for edge in edges}

    def _arrow(self, source: str, target: str, colour: str, gap: float) -> Mobject:
        a, b = np.array([*self.specs[source].centre, 0.0]), np.array([*self.specs[target].centre, 0.0])
        start = a + self._to_border(source, b - a) + gap * _unit(b - a)
        end = b + self._to_border(target, a - b) - gap * _unit(b - a)
        return arrow(start, end, colour, 4)

    def _to_border(self, name: str, direction: np.ndarray) -> np.ndarray:
        """From a box's centre to its border along ``direction``."""
        spec, d = self.specs[name], _unit(direction)
        reach = min(spec.width / 2 / max(abs(d[0]), 1e-9), spec.height / 2 / max(abs(d[1]), 1e-9))
        return reach * d

    def frame(self, name: str) -> Mobject:
        return self.boxes[name][0]

    def value(self, name: str, label: Mobject) -> Mobject:
        """``label`` placed in the lower half of ``name``'s box (or beside its name in a one-line box)."""
        frame, title = self.boxes[name]
        fit_width(label, self.specs[name].width - 0.2)
        if self.specs[name].height > 0.9:
            return label.move_to(frame.get_bottom() + UP * (0.1 + label.height / 2))
        fit_width(label, self.specs[name].width - title.width - 0.35)
        return label.next_to(title, RIGHT, buff=0.1)

    def edge_label(self, edge: tuple[str, str], label: Mobject, side: str = "below", buff: float = 0.12) -> Mobject:
        """``label`` beside the middle of the arrow ``edge``: ``below`` (the boxes' bottoms), ``left`` or ``right``."""
        shaft = self.arrows[edge]
        middle = (shaft.get_start() + shaft.get_end()) / 2
        if side == "below":
            bottom = min(self.frame(name).get_bottom()[1] for name in edge)
            return label.move_to([middle[0], bottom - buff - label.height / 2, 0])
        return label.next_to(middle, LEFT if side == "left" else RIGHT, buff=buff)

    def under(self, name: str, label: Mobject, y: float, margin: float = 0.15) -> Mobject:
        """``label`` centred under ``name``'s box, its middle at height ``y``, shifted inside the frame if need be."""
        half = config.frame_width / 2 - margin - label.width / 2
        return label.move_to([float(np.clip(self.specs[name].centre[0], -half, half)), y, 0])

    def all(self) -> VGroup:
        """Every box and arrow."""
        return VGroup(*self.boxes.values(), *self.arrows.values())


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


class Fade(Animation):
    """Fade ``mobject`` in (or out, ``out=True``) by scaling the opacity of its colours; nothing is copied.

    :class:`~manim.FadeIn` deep-copies its mobject twice, which costs about 0.1 s for a
    line of typeset maths; this only keeps the colour arrays. The colours are restored
    when it ends (a faded-out mobject leaves the scene with them, ready to come back).
    """

    def __init__(self, mobject: Mobject, out: bool = False, **kwargs) -> None:
        super().__init__(mobject, introducer=not out, remover=out, **kwargs)
        self.out = out

    def create_starting_mobject(self) -> Mobject:
        return Mobject()

    def begin(self) -> None:
        parts = [m for m in self.mobject.family_members_with_points() if isinstance(m, VMobject)]
        self.colours = [
            (m, m.fill_rgbas.copy(), m.stroke_rgbas.copy(), m.background_stroke_rgbas.copy()) for m in parts
        ]
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        share = 1.0 - alpha if self.out else alpha
        scale = np.array([1.0, 1.0, 1.0, share])
        for m, fill, stroke, back in self.colours:
            m.fill_rgbas, m.stroke_rgbas, m.background_stroke_rgbas = fill * scale, stroke * scale, back * scale

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        for m, fill, stroke, back in self.colours:
            m.fill_rgbas, m.stroke_rgbas, m.background_stroke_rgbas = fill, stroke, back


def tangent_chart(
    f: Callable, x0: float, slope: float, *, centre, size: tuple[float, float], palette, tick: Callable, names
) -> tuple[VGroup, VGroup]:
    """y = f(x) near x0 with axes, tick numbers and ``names`` (first group); its tangent of ``slope`` at x0 and a dot.

    ``f`` broadcasts over arrays; ``tick(v)`` makes a tick number's mobject; ``palette`` gives
    the colours (axes, curve, tangent, highlight). A flat curve gets a range of one unit around it.
    """
    left, right = x0 - 2.5, x0 + 2.5
    if left < 0 < right:  # the origin at a corner: the y-axis and its numbers stay off the curve
        left, right = (0.0, max(right, 1.0)) if x0 >= 0 else (min(left, -1.0), 0.0)
    lo, hi = value_range(f(np.linspace(left, right, 101)))
    lo, hi = (lo - 0.5, hi + 0.5) if hi - lo < 1e-6 else (lo, hi)
    graph = Graph((left, right), (lo, hi), x_length=size[0], y_length=size[1], centre=centre, f=f,
                  axis_config={"color": palette.axes, "stroke_width": 2})  # fmt: skip
    curve = graph.plot(color=palette.curve, stroke_width=4)
    tangent = graph.slope_segment(x0, slope, 0.7 * size[0], color=palette.tangent, stroke_width=4)
    dot = Dot(graph.on_curve(x0), radius=0.08, color=palette.highlight)
    return VGroup(graph.axes, graph.tick_numbers(tick), graph.axis_names(*names), curve), VGroup(tangent, dot)
