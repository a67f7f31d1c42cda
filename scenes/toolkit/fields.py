"""Field and path mobjects drawn on a map: arrow fields, growing flow lines, arrows and marks.

* :class:`ArrowField` — hundreds of arrows drawn as two VMobjects per colour,
  posed, grown, turned and faded as a whole;
  :meth:`ArrowField.from_grid` builds one from a :class:`gradcore.GradientField`
  on a :class:`~scenes.toolkit.landscape.LandscapeView`.
* :class:`FlowLines` — paths that grow from their starts at a common pace,
  each with a dot at its head.
* :func:`arrow` (one arrow), :func:`cross` (a saddle mark), :func:`elbow` (a
  right-angle mark); :func:`minimum_marks` and :func:`saddle_marks` put discs
  and crosses on a map's critical points.
* :func:`arrow_paths` and :func:`segments` — the Bézier points behind an
  arrow field, for other mobjects that draw many straight segments at once.
* :class:`Chart` — one landscape's numbers for a map (field, level values, flow
  lines, critical points, divides, where each flow line ends); :func:`critical_keys` —
  the legend of its marks, ties for the lowest minimum included.
* :func:`legible` — a palette colour darkened (or lightened) until text in it
  reaches a contrast of 4.5 : 1 against the background; :func:`linger` — hold
  a key step until its line has had a slow reading.

Everything here takes screen points (shape ``(k, 3)``); the view converts map
points first (``view.point``, ``view.vector``).

Examples
--------
>>> import numpy as np
>>> field = ArrowField(np.zeros((2, 3)), np.array([[1.0, 0, 0], [0, 2.0, 0]]), np.array([0, 1]), ["#FFFFFF", "#FF0000"])
>>> [np.round(end, 6).tolist() for end in field.ends()]
[[[-0.5, 0.0, 0.0], [0.0, -1.0, 0.0]], [[0.5, 0.0, 0.0], [0.0, 1.0, 0.0]]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    DashedLine,
    Dot,
    Line,
    ManimColor,
    Mobject,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

import gradcore

if TYPE_CHECKING:
    from scenes.toolkit.landscape import LandscapeView

__all__ = [
    "ArrowField",
    "Chart",
    "FlowLines",
    "arrow",
    "arrow_paths",
    "contrast",
    "critical_keys",
    "cross",
    "elbow",
    "landscape_title",
    "legible",
    "linger",
    "minimum_marks",
    "saddle_marks",
    "segments",
]

SHAFT_POINTS = 4  # Bézier points of one straight segment (a cubic curve)
TIP_POINTS = 3 * SHAFT_POINTS  # a tip is a closed triangle of three segments


class ArrowField(VGroup):
    """Many arrows drawn as two VMobjects per colour: all shafts as one path, all tips as another.

    A field of a few hundred separate ``Arrow`` objects costs Cairo a Python
    round-trip per arrow per frame; grouped by colour it costs one per colour.
    Each arrow is centred on its point; :meth:`ends` reads the drawn tails and
    tips back from the paths, in the order of ``positions``. Arrows of length
    zero (a zero gradient) are not drawn and not kept.

    Parameters
    ----------
    centres, vectors
        Screen centre and screen vector (tail → tip) of each arrow, shape ``(k, 3)``.
    bins
        Colour index of each arrow, shape ``(k,)``.
    colours
        One colour per index.
    positions
        What each arrow belongs to (e.g. its map point ``(x, y)``), shape ``(k, ...)``;
        default: the centres.
    width
        Stroke width of the shafts.
    tip_length
        Length of the longest tips; shorter arrows get a tip of 40 % of their length.
    """

    def __init__(
        self,
        centres: np.ndarray,
        vectors: np.ndarray,
        bins: np.ndarray,
        colours: Sequence[str],
        positions: np.ndarray | None = None,
        *,
        width: float = 3.0,
        tip_length: float = 0.13,
    ):
        super().__init__()
        centres, vectors, bins = np.asarray(centres, float), np.asarray(vectors, float), np.asarray(bins)
        lengths = np.linalg.norm(vectors, axis=1)
        drawn = lengths > 1e-6  # a zero gradient draws no arrow
        self.positions = np.asarray(centres if positions is None else positions)[drawn]
        centres, vectors, bins, lengths = centres[drawn], vectors[drawn], bins[drawn], lengths[drawn]
        self.shafts, self.tips = VGroup(), VGroup()
        self.order: list[np.ndarray] = []  # arrow indices held by each colour
        for index, colour in enumerate(colours):
            members = np.flatnonzero(bins == index)
            if members.size == 0:
                continue
            shaft, tip = arrow_paths(centres[members], vectors[members], lengths[members], tip_length)
            self.shafts.add(VMobject(stroke_color=colour, stroke_width=width, fill_opacity=0).set_points(shaft))
            self.tips.add(VMobject(fill_color=colour, fill_opacity=1, stroke_width=0).set_points(tip))
            self.order.append(members)
        self.add(self.shafts, self.tips)
        self._centres = [np.repeat(centres[m], SHAFT_POINTS, axis=0) for m in self.order]
        self._tip_centres = [np.repeat(centres[m], TIP_POINTS, axis=0) for m in self.order]
        self._shaft_points = [m.points.copy() for m in self.shafts]
        self._tip_points = [m.points.copy() for m in self.tips]
        self.heading = 0.0  # how far the arrows are turned from the vectors they were built with

    @classmethod
    def from_grid(
        cls,
        view: LandscapeView,
        grid: gradcore.GradientField,
        colours: Sequence[str],
        *,
        width: float = 3.0,
        tip_length: float = 0.13,
    ) -> ArrowField:
        """The sampled field ``grid`` on the map of ``view``: one arrow per grid point, centred on it.

        Arrows are drawn at ``grid.display`` (the normalised vectors) and coloured
        by ``grid.magnitudes`` in ``len(colours)`` equal bins from 0 to the
        largest magnitude (the largest takes the last colour). ``positions`` are
        the grid's ``(x, y)``, shape ``(k, 2)``.

        Examples
        --------
        >>> import gradcore
        >>> from scenes.toolkit.landscape import LandscapeView
        >>> box = ((-1, 1), (-1, 1))
        >>> grid = gradcore.gradient_field(lambda x, y: x**2 + y**2, *box, density=3)
        >>> colours = ["#0000FF", "#00FF00", "#FFFF00", "#FF0000"]
        >>> field = ArrowField.from_grid(LandscapeView(lambda x, y: x**2 + y**2, box), grid, colours)
        >>> len(field.positions), [len(members) for members in field.order]  # no arrow at the minimum, ∇f = 0
        (8, [4, 4])
        """
        magnitudes = np.asarray(grid.magnitudes, dtype=float).reshape(-1)
        count = len(colours)
        bins = np.minimum((magnitudes / max(magnitudes.max(), 1e-300) * count).astype(int), count - 1)
        positions = np.asarray(grid.positions, dtype=float).reshape(-1, 2)
        return cls(
            view.point(positions),
            view.vector(np.asarray(grid.display).reshape(-1, 2)),
            bins,
            colours,
            positions,
            width=width,
            tip_length=tip_length,
        )

    def pose(self, scale: float = 1.0, angle: float = 0.0) -> None:
        """Scale and turn every arrow about its own centre, from the shape it was built with."""
        c, s = np.cos(angle), np.sin(angle)
        turn = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]) * np.array([scale, scale, 1])[:, None]
        for mobs, refs, centres in (
            (self.shafts, self._shaft_points, self._centres),
            (self.tips, self._tip_points, self._tip_centres),
        ):
            for mob, ref, centre in zip(mobs, refs, centres, strict=True):
                mob.points = centre + (ref - centre) @ turn.T

    def grow(self) -> UpdateFromAlphaFunc:
        """Every arrow grows from its centre, all at once (starting from nothing at once)."""
        heading = self.heading
        self.pose(scale=0.0, angle=heading)
        return UpdateFromAlphaFunc(self, lambda m, a: m.pose(scale=a, angle=heading))

    def turn(self) -> UpdateFromAlphaFunc:
        """Every arrow turns half a circle about its centre: ∇f becomes −∇f."""
        start = self.heading
        self.heading = start + np.pi
        return UpdateFromAlphaFunc(self, lambda m, a: m.pose(angle=start + a * np.pi))

    def fade_to(self, opacity: float) -> AnimationGroup:
        """Animation of the field's opacity (shafts and tips alike)."""
        return AnimationGroup(
            self.shafts.animate.set_stroke(opacity=opacity), self.tips.animate.set_fill(opacity=opacity)
        )

    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Drawn tails and tips, shape ``(k, 3)`` each, in the order of ``positions``."""
        tails = np.zeros((len(self.positions), 3))
        tips = np.zeros_like(tails)
        for members, shaft, tip in zip(self.order, self.shafts, self.tips, strict=True):
            tails[members] = shaft.points[0::SHAFT_POINTS]
            tips[members] = tip.points[0::TIP_POINTS]
        return tails, tips


def arrow_paths(
    centres: np.ndarray, vectors: np.ndarray, lengths: np.ndarray, tip_length: float = 0.13
) -> tuple[np.ndarray, np.ndarray]:
    """Bézier points of arrows centred on ``centres``: shafts (4 points each) and closed tips (12 each).

    Parameters
    ----------
    centres, vectors
        Shape ``(k, 3)``; ``vectors`` run from tail to tip.
    lengths
        ``|vectors|``, shape ``(k,)``, all positive.
    tip_length
        Longest tip; shorter arrows get a tip of 40 % of their length.

    Returns
    -------
    shafts, tips
        Shapes ``(4k, 3)`` and ``(12k, 3)``. A shaft ends under its tip (30 %
        of the tip's length in), not at its point; a tip's first point is the
        arrow's point.

    Examples
    --------
    >>> shafts, tips = arrow_paths(np.zeros((1, 3)), np.array([[2.0, 0.0, 0.0]]), np.array([2.0]), tip_length=0.5)
    >>> shafts[[0, -1]].round(6).tolist(), tips[0].tolist()
    ([[-1.0, 0.0, 0.0], [0.65, 0.0, 0.0]], [1.0, 0.0, 0.0])
    """
    unit = vectors / lengths[:, None]
    normal = np.stack([-unit[:, 1], unit[:, 0], np.zeros(len(unit))], axis=1)
    tip_length = np.minimum(tip_length, 0.4 * lengths)[:, None]
    tail, tip = centres - vectors / 2, centres + vectors / 2
    base = tip - unit * tip_length
    left, right = base + 0.55 * tip_length * normal, base - 0.55 * tip_length * normal
    shaft = segments([(tail, base + 0.3 * unit * tip_length)])  # the shaft ends under the tip, not at its point
    head = segments([(tip, left), (left, right), (right, tip)])
    return shaft, head


def segments(pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Cubic Bézier points of straight segments, item by item: for pairs ``(a, b)`` of shape ``(k, 3)``.

    The result, shape ``(4 · len(pairs) · k, 3)``, holds item 0's segments (in
    the order of ``pairs``), then item 1's, and so on: one path per item.

    Examples
    --------
    >>> segments([(np.zeros((1, 3)), np.array([[3.0, 0.0, 0.0]]))])[:, 0].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    thirds = np.array([0, 1 / 3, 2 / 3, 1])[None, :, None]
    per_item = [a[:, None, :] + thirds * (b - a)[:, None, :] for a, b in pairs]  # each (k, 4, 3)
    return np.concatenate(per_item, axis=1).reshape(-1, 3)


class FlowLines(VGroup):
    """Paths that grow from their starts at a common pace, each with a dot at its head.

    Parameters
    ----------
    paths
        Screen points of each path, shape ``(k_i, 3)`` each (e.g. ``view.point(path)``
        of a path from :func:`gradcore.flow_lines`).
    colours
        One colour per path.
    outline
        Colour of the outline around each head.
    width, radius
        Stroke width of the lines and radius of the heads.
    """

    def __init__(
        self,
        paths: Sequence[np.ndarray],
        colours: Sequence[str],
        outline: str,
        *,
        width: float = 3.5,
        radius: float = 0.06,
    ):
        super().__init__()
        self.paths = list(paths)
        self.lines = VGroup(
            *(
                VMobject(stroke_color=c, stroke_width=width).set_points_as_corners(p)
                for p, c in zip(self.paths, colours, strict=True)
            )
        )
        self.heads = VGroup(
            *(
                Dot(p[0], radius=radius, color=c).set_stroke(outline, 1.5)
                for p, c in zip(self.paths, colours, strict=True)
            )
        )
        self.add(self.lines, self.heads)
        self._full = [line.copy() for line in self.lines]
        self.longest = max(len(p) for p in self.paths)

    def show(self, alpha: float) -> None:
        """Draw each path up to the same step count: a share ``alpha`` of the longest path's steps."""
        for line, full, head, path in zip(self.lines, self._full, self.heads, self.paths, strict=True):
            k = min(len(path) - 1, round(alpha * (self.longest - 1)))
            line.pointwise_become_partial(full, 0, k / max(len(path) - 1, 1))
            head.move_to(path[k])

    def grow(self) -> UpdateFromAlphaFunc:
        """Every path grows from its start (hidden first), the longest taking the whole animation."""
        self.show(0.0)
        return UpdateFromAlphaFunc(self, lambda m, a: m.show(a))


def arrow(start: np.ndarray, end: np.ndarray, colour: str, width: float = 5) -> Arrow:
    """One straight arrow from ``start`` to ``end`` whose tip and stroke keep their size on short arrows."""
    return Arrow(
        start,
        end,
        buff=0,
        color=colour,
        stroke_width=width,
        max_tip_length_to_length_ratio=0.3,
        max_stroke_width_to_length_ratio=20,
    )


def cross(centre: np.ndarray, colour: str, outline: str, size: float = 0.13) -> VGroup:
    """A saddle mark: an × of half-width ``size`` at ``centre``, with an outline."""
    mark = VGroup(
        Line(centre + size * (LEFT + DOWN), centre + size * (RIGHT + UP)),
        Line(centre + size * (LEFT + UP), centre + size * (RIGHT + DOWN)),
    )
    return mark.set_stroke(colour, width=5).set_stroke(outline, width=9, background=True)


def elbow(corner: np.ndarray, a: np.ndarray, b: np.ndarray, colour: str, size: float = 0.2) -> VMobject:
    """A right-angle mark at ``corner`` with legs of length ``size`` along the unit vectors ``a`` and ``b``."""
    points = [corner + size * b, corner + size * (a + b), corner + size * a]
    return VMobject(stroke_color=colour, stroke_width=3.5).set_points_as_corners(points)


def minimum_marks(
    view: LandscapeView, minima: Sequence, colours: Sequence[str], outline: str, radius: float = 0.1
) -> VGroup:
    """A disc at each minimum on the map of ``view``, the k-th in ``colours[k % len(colours)]``.

    ``minima`` are gradcore's (objects with ``point`` and ``kind``); each disc
    keeps its minimum's ``point`` and ``kind``.
    """
    marks = VGroup()
    for index, minimum in enumerate(minima):
        mark = Dot(view.point(minimum.point), radius=radius, color=colours[index % len(colours)])
        mark.set_stroke(outline, 2)
        mark.point, mark.kind = minimum.point, minimum.kind
        marks.add(mark)
    return marks


def saddle_marks(view: LandscapeView, saddles: Sequence, colour: str, outline: str) -> VGroup:
    """A :func:`cross` at each saddle point on the map of ``view``, keeping its ``point`` and ``kind``."""
    marks = VGroup()
    for saddle in saddles:
        mark = cross(view.point(saddle.point), colour, outline)
        mark.point, mark.kind = saddle.point, saddle.kind
        marks.add(mark)
    return marks


@dataclass(frozen=True, eq=False)
class Chart:
    """One landscape on the map: its view (every conversion) and the numbers drawn on it."""

    view: LandscapeView
    grid: gradcore.GradientField  # the sampled field: one arrow per cell
    levels: np.ndarray  # values of the drawn level curves
    flows: list[np.ndarray]  # paths along −∇f from a ring of starts, each (k, 2)
    minima: list[gradcore.Minimum]  # lowest first
    saddles: list[gradcore.CriticalPoint]
    ends: list[int | None]  # the minimum each flow line reaches (gradcore.nearest_minimum), None if none
    divides: list[gradcore.paths.Divide] = ()  # ridges through saddles between two valleys (gradcore.paths.divides)

    @property
    def bowl(self) -> bool:
        """One minimum and no saddle on the map, with |∇f| growing from it towards the edge (a bowl)."""
        one = len(self.minima) == 1 and not self.saddles
        return one and gradcore.paths.grows_outward(self.view.f, self.minima[0].point, self.view.box)

    @property
    def missed(self) -> int:
        """How many flow lines reach no minimum on the map."""
        return sum(end is None for end in self.ends)

    @property
    def reached(self) -> int:
        """How many different minima the flow lines reach."""
        return len(set(self.ends) - {None})


def critical_keys(
    minima: Sequence, saddles: Sequence, colours: Sequence[str], palette, small, divides: Sequence = ()
) -> list[Mobject]:
    """Legend rows for a map's marks: global and local minima, saddles, divides, flow colours.

    ``colours`` are the minima's discs, in order; ``small(zh, en, color=None)``
    makes one line of text. Every minimum tied for the lowest value
    (:func:`gradcore.paths.lowest_minima`) is a global minimum; the others are local.
    """
    pal, rows = palette, []
    lowest = gradcore.paths.lowest_minima(minima)
    others = [c for i, c in enumerate(colours) if i not in lowest]
    if len(lowest) > 1:  # a tie for the lowest: each of them is a global minimum
        kinds = [([colours[i] for i in lowest], "全局极小值（一样低）", "global minima (equally low)")]
    else:
        kinds = [([colours[i] for i in lowest], "全局极小值", "global minimum")] if lowest else []
    if others:
        kinds.append((others, "局部极小值", "local minima" if len(others) > 1 else "local minimum"))
    for dots, zh, en in kinds:
        keys = VGroup(*(Dot(radius=0.1, color=c).set_stroke(pal.outline, 2) for c in dots)).arrange(RIGHT, 0.1)
        rows.append(VGroup(keys, small(zh, en)).arrange(RIGHT, buff=0.2))
    if saddles:
        saddle = small("鞍点（∇f = 0）", "saddle (∇f = 0)")
        rows.append(VGroup(cross(ORIGIN, pal.text, pal.outline), saddle).arrange(RIGHT, buff=0.2))
    if divides:
        line = DashedLine(ORIGIN, 0.5 * RIGHT, color=pal.text, stroke_width=4, dash_length=0.08)
        rows.append(
            VGroup(line, small("分水线：两侧流进不同山谷", "divide between two valleys")).arrange(RIGHT, buff=0.2)
        )
    return [*rows, small("流线颜色 = 它流进的山谷", "flow colour = the valley it ends in", color=pal.muted)]


def landscape_title(scene, raw: str, f: gradcore.Function, name: str, width: float) -> Mobject:
    """``name = formula`` under the landscape's title when ``raw`` is one of gradcore's named landscapes.

    The formula comes at a smaller size when it is wider than ``width``; when it
    is too wide even then, only the title (or, for an unnamed landscape, a
    generic name). ``scene`` makes the text (``math``, ``mixed``, ``text``, ``say``, ``palette``).
    """
    from scenes.toolkit.text import SIZE

    pal = scene.palette
    formula = scene.math(f"{name} = {f.typst}", color=pal.text, size=SIZE.BODY)
    if formula.width > width:  # smaller, but never below a readable size
        formula = scene.math(f"{name} = {f.typst}", color=pal.text, size=SIZE.SMALL)
    text = " ".join(raw.split())
    for named in gradcore.landscapes.LANDSCAPES.values():
        if " ".join(named.formula.split()) == text:
            title = scene.text(
                scene.say(named.title_zh, named.title_en), color=legible(pal.highlight, pal.background), size=SIZE.BODY
            )
            if formula.width > width:
                return title
            return VGroup(title, formula).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
    if formula.width > width:  # too long to read in the panel: its name only
        return scene.mixed(scene.say(f"地形 ${name} = f(x, y)$", f"the landscape ${name} = f(x, y)$"), color=pal.text)
    return formula


# --- colours that read, steps that get their time (issue 13) ----------------------------------


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a colour."""
    rgb = np.asarray(ManimColor(colour).to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast("#000000", "#FFFFFF"), 1), round(contrast("#E07A00", "#FFFFFF"), 2)
    (21.0, 3.02)
    """
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


def legible(colour: str, background: str, ratio: float = 4.5) -> str:
    """``colour`` mixed towards black (on a light background) or white (on a dark one) until it reaches ``ratio``.

    A colour that already reaches it comes back unchanged, so the dark theme
    keeps its palette; text and thin lines in the light theme get the darker
    shade of the same hue.

    Examples
    --------
    >>> legible("#FFFFFF", "#000000"), contrast(legible("#E07A00", "#FFFFFF"), "#FFFFFF") >= 4.5
    ('#FFFFFF', True)
    """
    if contrast(colour, background) >= ratio:
        return colour
    target = "#000000" if _luminance(background) > 0.18 else "#FFFFFF"
    for t in np.linspace(0.02, 1.0, 50):
        mixed = ManimColor(colour).interpolate(ManimColor(target), float(t)).to_hex()
        if contrast(mixed, background) >= ratio:
            return mixed
    return target


def linger(scene, chars_per_second: float = 5.0) -> None:
    """Hold the current step until its line has had ``chars_per_second`` of reading (every character counts).

    A key step gets the time of a slow reading, beyond the toolkit's
    :attr:`~scenes.toolkit.base.Narration.reading_time` (five Chinese
    characters, three English words a second, counting only those).
    """
    line = scene.narration[-1]
    words = max(len(line.zh), len(line.en) / 3.0)  # an English line reads about three times faster per character
    unread = words / chars_per_second - (scene.time - line.start)
    if unread > 1e-6:
        scene.wait(unread + 1e-3)


def shared_decimals(values: Sequence[float], most: int = 2) -> int:
    """The fewest decimals (up to ``most``) that show every one of ``values`` as exactly as ``most`` would.

    Numbers of one kind shown together then read with one number of decimals.

    Examples
    --------
    >>> shared_decimals([2.0, -6.0, 0.0]), shared_decimals([2.0, 1.5]), shared_decimals([0.1, 0.757])
    (0, 1, 2)
    """
    for decimals in range(most + 1):
        if all(round(float(v), decimals) == round(float(v), most) for v in values):
            return decimals
    return most


def fixed(value: float, decimals: int) -> str:
    """``value`` with exactly ``decimals`` decimals (zeros kept: 0.10 beside 0.76), and a real minus sign.

    Examples
    --------
    >>> fixed(0.1019, 2), fixed(-2.0, 0), fixed(-1e-9, 2)
    ('0.10', '−2', '0.00')
    """
    text = f"{float(value):.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


POINT_SERIES = (0, 1, 4, 2)  # red, yellow or orange, purple, green of the palette's series: apart from each other


def point_colours(palette, count: int) -> list[str]:
    """``count`` (at most 4) colours for marked points, far apart in hue and legible as text on the background."""
    return [legible(palette.series[i], palette.background) for i in POINT_SERIES[:count]]


def gradient_rows(scene, points: np.ndarray, gradients: np.ndarray, colours: Sequence[str], size: float) -> list:
    """One panel row per point, ``A  ∇f(x, y) = (gx, gy)``, in its point's colour; one number format per quantity."""
    at, of = shared_decimals(points.ravel()), shared_decimals(gradients.ravel())
    rows = []
    for index, (xy, g, colour) in enumerate(zip(points, gradients, colours, strict=True)):
        name = POINT_NAMES[index]
        text = f"upright({name}) quad nabla f({fixed(xy[0], at)}, {fixed(xy[1], at)}) = ({fixed(g[0], of)}, {fixed(g[1], of)})"
        row = scene.math(text, color=colour, size=size)
        row.point_name = name
        rows.append(row)
    return rows


POINT_NAMES = "ABCD"  # the marked points of GradientField's step 1, in the order of its ``points``


def backed(label: Mobject, background: str, opacity: float = 0.8) -> VGroup:
    """A label on a backing in the background colour, so it reads over a surface or a field."""
    from manim import BackgroundRectangle

    return VGroup(BackgroundRectangle(label, color=background, fill_opacity=opacity, buff=0.06), label)


def normal_arrows(
    view: LandscapeView, line: np.ndarray, count: int, colour: str, mark: str, length: float, size: float
) -> tuple[VGroup, VGroup]:
    """Arrows ∇f at ``count`` points spread along a level curve, each with a right-angle mark against the curve.

    Each arrow is ``length`` long on screen (shorter where the map's edge is
    near) and keeps its map ``point``; the marks have legs of ``size``.
    """
    normals, elbows = VGroup(), VGroup()
    for xy, tangent in gradcore.spread_along(line, count):
        g = view.f.gradient(xy)
        start = view.point(xy)
        direction, along = (v / np.linalg.norm(v) for v in view.vector([g, tangent]))  # unit, on screen
        # the map has one scale for both axes: the on-screen room to its edge is unit × the room on the map
        room = view.unit * gradcore.distance_to_edge(xy, g / np.linalg.norm(g), view.box)
        normal = arrow(start, start + max(min(length, room + 0.25), 0.35) * direction, colour, width=5)
        normal.point = xy
        normals.add(normal)
        elbows.add(elbow(start, direction, along, mark, size=size))
    return normals, elbows


def divide_lines(chart: Chart, colour: str, width: float = 3.5) -> VGroup:
    """The divides between basins of ``chart`` as dashed lines on its map, each keeping its ``divide``."""
    from manim import DashedVMobject

    lines = VGroup()
    for divide in chart.divides:
        keep = np.unique(np.linspace(0, len(divide.curve) - 1, min(len(divide.curve), 300)).round().astype(int))
        line = chart.view.polyline(divide.curve[keep], stroke_color=colour, stroke_width=width)
        dashed = DashedVMobject(line, num_dashes=max(8, int(line.get_arc_length() / 0.16)), dashed_ratio=0.55)
        dashed.divide = divide
        lines.add(dashed)
    return lines


__all__ += ["POINT_NAMES", "backed", "divide_lines", "fixed", "gradient_rows", "normal_arrows", "point_colours"]
__all__ += ["shared_decimals"]


def map_labels(scene, view: LandscapeView) -> VGroup:
    """Tick numbers along the bottom and left edges of ``view``'s map, and the names x and y."""
    from scenes.toolkit.plotting import fmt
    from scenes.toolkit.text import SIZE

    muted = scene.palette.muted
    names = (scene.math("x", color=muted, size=SIZE.LABEL), scene.math("y", color=muted, size=SIZE.LABEL))
    return view.tick_labels(lambda s: scene.math(s, color=muted, size=SIZE.SMALL), fmt, names)


def field_legend(scene, chart: Chart, colours: Sequence[str], lengths: tuple[str, str] | None) -> list[Mobject]:
    """Panel lines explaining an arrow field: the colour bar of |∇f| (one format at both ends), the lengths, level curves.

    ``lengths`` is the (zh, en) line saying how lengths read; the level-curve key comes with it.
    """
    from manim import Rectangle

    from scenes.toolkit.text import SIZE

    pal = scene.palette
    swatch = {"width": 0.3, "height": 0.24, "stroke_width": 0, "fill_opacity": 1}
    bar = VGroup(*(Rectangle(fill_color=c, **swatch) for c in colours)).arrange(RIGHT, buff=0)
    top = float(chart.grid.magnitudes.max())
    low, high = (scene.math(fixed(v, shared_decimals([top])), color=pal.muted, size=SIZE.SMALL) for v in (0, top))
    ends = VGroup(low.next_to(bar, LEFT, 0.15), high.next_to(bar, RIGHT, 0.15))
    name = scene.mixed(scene.say("颜色：$|nabla f|$", "colour: $|nabla f|$"), color=pal.text, size=SIZE.SMALL)
    scale = VGroup(name, VGroup(bar, ends)).arrange(RIGHT, buff=0.3)
    if lengths is None:
        return [scale]
    sample = Line(ORIGIN, 0.6 * RIGHT, color=pal.muted, stroke_width=2)
    levels = scene.mixed(scene.say("等高线 $f = c$", "level curves $f = c$"), color=pal.muted, size=SIZE.SMALL)
    words = scene.text(scene.say(*lengths), color=pal.muted, size=SIZE.SMALL)
    return [scale, words, VGroup(sample, levels).arrange(RIGHT, buff=0.2)]


__all__ += ["field_legend", "map_labels"]


def minimum_colours(palette) -> list[str]:
    """Colours of a map's minima, lowest first (and of the flow lines ending in them): the lowest in ``good``."""
    pal = palette
    return [
        legible(c, pal.background) for c in (pal.good, pal.warn, pal.direction, pal.curve, pal.tangent, pal.gradient)
    ]


def critical_marks(chart: Chart, palette) -> tuple[VGroup, VGroup]:
    """Discs on the minima, coloured as the flow lines ending there, and crosses on the saddles."""
    minima = minimum_marks(chart.view, chart.minima, minimum_colours(palette), palette.outline)
    return minima, saddle_marks(chart.view, chart.saddles, palette.text, palette.outline)


__all__ += ["critical_marks", "minimum_colours"]
