"""The gradient-field scene, read back from its mobjects: arrows, level curves, the flip, flow lines, marks.

Two dry runs (tiny resolution, no video): the defaults (a stretched bowl, then
gradcore's VALLEYS) on the dark theme, and a second configuration on the light
theme with a tilted elliptic bowl over an off-centre, non-square map, another
normalisation and Himmelblau's function (four minima, four saddles) as the second landscape. Every expected direction
or value is computed here from the formula itself (central differences of f),
not taken from the scene. What is checked is read off the mobjects on screen
after each animation (a probe), mapped back to ``(x, y)`` by a view built here
from the scene's layout constants.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Arrow, Text, Typst

import gradcore
from scenes.gradient_field import LENGTHS, MAP_CENTRE, MAP_SIZE, NARRATION, RADIAL_ANGLE, STEEPNESS, GradientField
from scenes.toolkit.fields import POINT_NAMES, ArrowField, FlowLines, contrast
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.testing import check_storyboard, run_scene
from scenes.toolkit.text import TYPST_SCALE

SECOND = {
    "formula": "x^2 + 3*y^2 + 0.5*x*y",
    "x_range": [-3, 2],
    "y_range": [-1.5, 2.5],
    "points": [[1, 0], [-2, 1]],
    "density": 11,
    "normalization": "cap",
    "level_point": [1, 1],
    "flow_lines": 6,
    "second_formula": "0.05*((x^2 + y - 11)^2 + (x + y^2 - 7)^2)",
    "second_x_range": [-5, 5],
    "second_y_range": [-5, 5],
}
SECTIONS = ["the bowl", "flatten", "right angles", "downhill", "many valleys", "summary"]


def probe(scene):
    """What is on screen: arrow fields (with their drawn ends, copied now), single arrows, flow lines, marks."""
    shown = {"fields": [], "arrows": [], "flows": [], "marks": [], "curves": [], "divides": [], "texts": []}
    for mobject in (m for top in scene.mobjects for m in top.get_family()):
        if isinstance(mobject, ArrowField):
            shown["fields"].append((mobject, *(a.copy() for a in mobject.ends())))
        elif isinstance(mobject, FlowLines):
            shown["flows"].append(mobject)
        elif isinstance(mobject, Arrow) and hasattr(mobject, "point"):
            shown["arrows"].append(mobject)
        elif hasattr(mobject, "kind"):
            shown["marks"].append(mobject)
        elif hasattr(mobject, "level"):
            shown["curves"].append(mobject)
        elif hasattr(mobject, "divide"):
            shown["divides"].append(mobject)
        if isinstance(mobject, Text | Typst) and _opacity(mobject) > 0.5:
            size = mobject.font_size / (1.0 if isinstance(mobject, Text) else TYPST_SCALE)  # one scale for both
            shown["texts"].append((_words(mobject), mobject.get_fill_color().to_hex(), size))
    return shown


def _opacity(mobject):
    parts = [m for m in mobject.family_members_with_points()]
    return max((float(np.max(m.get_fill_opacities())) for m in parts), default=0.0)


def _words(mobject):
    return getattr(mobject, "original_text", None) or getattr(mobject, "typst_code", "")


def last_shown(scene, section, kind):
    """The last non-empty list of ``kind`` on screen during ``section``."""
    return [s[kind] for s in scene.snapshots if s["section"] == section and s[kind]][-1]


def view_of(run, second=False):
    """The map of a run's first (or second) landscape, built from the scene's layout: (x, y) ↔ screen."""
    p = run.params
    f, box = (p.second_formula, (p.second_x_range, p.second_y_range)) if second else (p.formula, (p.x_range, p.y_range))
    return LandscapeView(f, box, centre=MAP_CENTRE, size=MAP_SIZE)


@pytest.fixture(scope="module")
def runs():
    """The two dry runs, each made once, when first asked for."""
    made = {}

    def get(name):
        if name not in made:
            tables, theme = ({}, "dark") if name == "default" else ({"gradient_field": SECOND}, "light")
            made[name] = run_scene(GradientField, tables, theme=theme, probe=probe)
        return made[name]

    return get


@pytest.fixture(scope="module", params=["default", "second"])
def run(request, runs):
    return runs(request.param)


@pytest.fixture(scope="module")
def default(runs):
    return runs("default")


def numeric_gradient(f, xy, h=1e-5):
    """Central differences of f's values: independent of gradcore's exact gradient."""
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)], axis=-1)


def angle_between(u, v):
    u, v = np.asarray(u, float)[..., :2], np.asarray(v, float)[..., :2]
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def field_snapshot(scene, section):
    """The arrow field on screen at the end of ``section``: (field, drawn tails, drawn tips)."""
    [shown] = last_shown(scene, section, "fields")
    return shown


def test_the_sections_follow_the_storyboard_with_a_readable_line_in_each_language(run):
    check_storyboard(run, SECTIONS)


def test_the_arrow_drawn_at_one_zero_points_plus_x_on_the_bowl(default):
    view = view_of(default)
    [arrow] = [a for a in last_shown(default, "the bowl", "arrows") if np.allclose(a.point, [1, 0])]
    direction = view.coords(arrow.get_end()) - view.coords(arrow.get_start())
    assert angle_between(direction, [1, 0]) < 0.5
    field, tails, tips = field_snapshot(default, "flatten")
    nearest = np.argmin(np.linalg.norm(field.positions - [1, 0], axis=1))
    assert angle_between(tips[nearest] - tails[nearest], [1, 0, 0]) < 15  # the cell centre is near, not at, (1, 0)


def test_the_arrows_under_the_points_follow_the_gradient(run):
    view = view_of(run)
    arrows = last_shown(run, "the bowl", "arrows")
    assert len(arrows) == len(run.params.points)
    for arrow in arrows:
        direction = view.coords(arrow.get_end()) - view.coords(arrow.get_start())
        assert angle_between(direction, numeric_gradient(view.f, np.asarray(arrow.point))) < 0.5
        assert np.allclose(view.coords(arrow.get_start()), arrow.point, atol=1e-6)


def test_every_field_arrow_points_along_the_gradient_at_its_point(run):
    field, tails, tips = field_snapshot(run, "flatten")
    expected = numeric_gradient(view_of(run).f, field.positions)
    assert np.all(angle_between(tips - tails, expected) < 0.5)


def test_arrows_near_the_minimum_are_shorter_than_at_the_rim(run):
    view = view_of(run)
    field, tails, tips = field_snapshot(run, "flatten")
    lengths = np.linalg.norm(tips - tails, axis=1)
    (x0, x1), (y0, y1) = view.box
    near = np.linalg.norm(field.positions, axis=1) < 0.08 * max(x1 - x0, y1 - y0)  # both minima are at (0, 0)
    spacing = np.array([(x1 - x0), (y1 - y0)]) / run.params.density
    low, high = np.array([x0, y0]), np.array([x1, y1])
    rim = np.any((field.positions < low + spacing) | (field.positions > high - spacing), axis=1)
    assert near.any() and rim.any()
    assert lengths[near].max() < lengths[rim].min()
    # and lengths never decrease as |∇f| grows
    magnitude = np.linalg.norm(numeric_gradient(view.f, field.positions), axis=1)
    order = np.argsort(magnitude)
    assert np.all(np.diff(lengths[order]) > -1e-9)


def test_no_arrow_is_longer_than_the_spacing_and_every_arrow_stays_on_the_map(run):
    view = view_of(run)
    _, tails, tips = field_snapshot(run, "flatten")
    (x0, x1), (y0, y1) = view.box
    spacing = view.unit * (x1 - x0) / run.params.density
    assert np.linalg.norm(tips - tails, axis=1).max() <= spacing
    coords = view.coords(np.vstack([tails, tips]))
    assert np.all((coords >= np.array([x0, y0]) - 1e-9) & (coords <= np.array([x1, y1]) + 1e-9))


def test_the_colours_of_the_field_come_from_the_theme(run):
    field, _, _ = field_snapshot(run, "flatten")
    colours = [m.get_stroke_color().to_hex().upper() for m in field.shafts]
    palette = [c.upper() for c in run.palette.magnitude]
    assert colours[-1] == palette[-1]  # the steepest arrows take the top of the scale
    assert len(set(colours)) == len(colours) > 3


def test_arrows_on_the_highlighted_level_curve_cross_it_at_right_angles(run):
    view = view_of(run)
    [curve] = last_shown(run, "right angles", "curves")
    anchors = np.vstack([curve.points[0::4], curve.points[-1:]])
    coords = view.coords(anchors)
    level = float(view.f(*run.params.level_point))
    assert curve.level == pytest.approx(level)
    assert np.allclose(view.f(coords[:, 0], coords[:, 1]), level, rtol=2e-3, atol=2e-3)  # it is a level curve
    assert np.min(np.linalg.norm(coords - run.params.level_point, axis=1)) < 0.02  # through level_point
    normals = last_shown(run, "right angles", "arrows")
    assert len(normals) == 5
    for arrow in normals:
        tail = arrow.get_start()
        k = int(np.argmin(np.linalg.norm(anchors - tail, axis=1)))
        tangent = anchors[min(k + 2, len(anchors) - 1)] - anchors[max(k - 2, 0)]
        assert abs(angle_between(arrow.get_end() - tail, tangent) - 90) < 2.0
        assert np.linalg.norm(anchors[k] - tail) < 0.05


def test_after_the_flip_every_arrow_points_the_other_way(run):
    _, before_tails, before_tips = field_snapshot(run, "flatten")
    _, after_tails, after_tips = field_snapshot(run, "downhill")
    before, after = before_tips - before_tails, after_tips - after_tails
    assert np.all(angle_between(before, after) > 179.5)
    assert np.allclose(before_tips + before_tails, after_tips + after_tails, atol=1e-9)  # same centres
    assert np.allclose(np.linalg.norm(before, axis=1), np.linalg.norm(after, axis=1))


def test_the_flow_lines_run_downhill_into_the_minimum_of_the_bowl(run):
    view = view_of(run)
    [minimum] = gradcore.find_minima(view.f, view.box)
    [flows] = last_shown(run, "downhill", "flows")
    assert len(flows.lines) == run.params.flow_lines
    (x0, x1), (y0, y1) = view.box
    for line in flows.lines:
        coords = view.coords(line.points[0::4])
        values = view.f(coords[:, 0], coords[:, 1])
        assert np.all(np.diff(values) <= 1e-9)
        end = view.coords(line.points[-1])
        assert np.linalg.norm(end - minimum.point) < 0.02 * max(x1 - x0, y1 - y0)
    [mark] = last_shown(run, "downhill", "marks")
    assert mark.kind == "minimum"
    assert np.allclose(view.coords(mark.get_center()), minimum.point, atol=1e-6)


def valley_marks(run, kind):
    return [m for m in last_shown(run, "many valleys", "marks") if m.kind == kind]


def test_the_marked_minima_and_saddles_agree_with_gradcore(run):
    view = view_of(run, second=True)
    found = gradcore.critical_points(view.f, view.box)
    for kind in ("minimum", "saddle"):
        expected = np.array([c.point for c in found if c.kind == kind])
        drawn = view.coords(np.array([m.get_center() for m in valley_marks(run, kind)]))
        assert len(drawn) == len(expected) > 0
        for point in expected:
            assert np.min(np.linalg.norm(drawn - point, axis=1)) < 1e-6
        for point in drawn:
            assert np.linalg.norm(numeric_gradient(view.f, point)) < 1e-4


def test_flow_lines_on_the_valleys_end_in_different_minima_of_their_own_colour(run):
    view = view_of(run, second=True)
    (x0, x1), (y0, y1) = view.box
    minima = valley_marks(run, "minimum")
    drawn = view.coords(np.array([m.get_center() for m in minima]))
    [flows] = last_shown(run, "many valleys", "flows")
    reached = set()
    for line in flows.lines:
        distances = np.linalg.norm(drawn - view.coords(line.points[-1]), axis=1)
        if distances.min() < 0.03 * max(x1 - x0, y1 - y0):  # the line arrived: it takes that minimum's colour
            reached.add(int(np.argmin(distances)))
            assert line.get_stroke_color() == minima[int(np.argmin(distances))].get_fill_color()
        else:  # it stopped elsewhere (out of steps, or off the map): grey
            assert line.get_stroke_color().to_hex().upper() == run.palette.muted.upper()
    assert len(reached) >= 2


def test_the_default_valleys_show_three_minima_and_two_saddles(default):
    assert len(valley_marks(default, "minimum")) == 3
    assert len(valley_marks(default, "saddle")) == 2


@pytest.mark.parametrize(
    "table",
    [
        {"density": 40},
        {"density": 3},
        {"flow_lines": 30},
        {"level_point": [0, 0]},
        {"level_point": [5, 0]},
        {"points": [[0, 0], [1, 1], [1, 0], [0, 1], [-1, 0]]},
        {"normalization": "sqrt"},
        {"second_formula": "1/x"},
    ],
)
def test_bad_configurations_are_refused_before_anything_is_drawn(table, capsys):
    with pytest.raises(SystemExit):
        run_scene(GradientField, {"gradient_field": table})
    assert f"'{next(iter(table))}'" in capsys.readouterr().err  # the message names the key


# --- issue 13: pictures that cannot mislead, one story, the time to read --------------------------


def test_the_default_level_curve_is_no_circle_so_right_angles_are_not_away_from_the_centre(default):
    view = view_of(default)
    normals = last_shown(default, "right angles", "arrows")
    off = []
    for arrow in normals:
        direction = view.coords(arrow.get_end()) - view.coords(arrow.get_start())
        off.append(angle_between(direction, np.asarray(arrow.point)))  # the bowl's minimum is at (0, 0)
    assert max(off) > 2 * RADIAL_ANGLE  # ellipses: the right angle visibly differs from "away from the centre"
    said = {line.section: line for line in default.narration}["right angles"]
    assert said.en == NARRATION["right angles, not radial"][1] and "不指向正中心" in said.zh


def test_on_round_circles_the_narration_does_not_say_the_arrows_miss_the_centre():
    from scenes.toolkit.fields import Chart  # noqa: F401  (the scene's own words are picked by off_radial)

    circle = np.array([[np.cos(t), np.sin(t)] for t in np.linspace(0, 2 * np.pi, 9)])
    assert gradcore.paths.off_radial(lambda x, y: x**2 + y**2, circle, [0, 0]) < 1e-6 < RADIAL_ANGLE


def test_each_gradient_row_is_named_and_coloured_as_its_point_and_arrow(run):
    view, points = view_of(run), np.asarray(run.params.points, dtype=float)
    arrows = last_shown(run, "the bowl", "arrows")
    texts = [t for shot in run.snapshots if shot["section"] == "the bowl" for t in shot["texts"]]
    rows = {words: colour for words, colour, _ in texts if "nabla f(" in words and "upright" in words}
    assert len(rows) == len(points)
    expected = numeric_gradient(view.f, points)
    decimals = max(len(f"{abs(v):.2f}".rstrip("0").split(".")[1]) if "." in f"{abs(v):.2f}".rstrip("0") else 0
                   for v in np.round(expected.ravel(), 2))  # fmt: skip
    for name, xy, g, arrow in zip(POINT_NAMES, points, expected, arrows, strict=False):
        [(words, colour)] = [(w, c) for w, c in rows.items() if f"upright({name})" in w]
        numbers = ", ".join(f"{v:.{decimals}f}".replace("-", "−") for v in g)
        assert f"= ({numbers})" in words  # the value, every component with the same decimals
        assert colour.upper() == arrow.get_color().to_hex().upper()  # one colour for row and arrow
        assert np.allclose(view.coords(arrow.get_start()), xy, atol=1e-6)
    assert len(set(rows.values())) == len(points)  # each point its own colour


def test_the_legend_and_the_summary_tell_one_story_of_lengths(run):
    shown = {words for shot in run.snapshots for words, _, _ in shot["texts"]}
    zh, en = LENGTHS[run.params.normalization]
    assert (zh if run.language == "zh" else en) in shown
    card = run.summary_card[1][1].typst_code
    key = "unit" if run.params.normalization == "unit" else "lengths"
    assert STEEPNESS[key][1 if run.language == "en" else 0] in card
    assert "∝" not in zh + en and "ln(" not in zh + en  # words a beginner reads, not a formula for the scale


def test_the_divides_part_flow_lines_into_the_two_valleys_they_name(run):
    view = view_of(run, second=True)
    (x0, x1), (y0, y1) = view.box
    span = max(x1 - x0, y1 - y0)
    minima = gradcore.find_minima(view.f, view.box)
    saddles = [c.point for c in gradcore.critical_points(view.f, view.box) if c.kind == "saddle"]
    drawn = last_shown(run, "many valleys", "divides")
    assert len(drawn) >= 2
    for line in drawn:
        divide = line.divide
        assert min(np.linalg.norm(divide.saddle - s) for s in saddles) < 1e-6  # through a saddle
        curve = divide.curve
        centre = int(np.argmin(np.linalg.norm(curve - divide.saddle, axis=1)))
        for k in [*(np.linspace(0.1, 0.9, 5) * (len(curve) - 2)).astype(int), centre]:
            a, b = curve[k], curve[k + 1]
            normal = np.array([-(b - a)[1], (b - a)[0]]) / np.linalg.norm(b - a)
            starts = [a + 0.03 * span * normal, a - 0.03 * span * normal]  # a step off the ridge, each side
            runs = gradcore.descend(view.f, np.array(starts), lr=0.002 * span, steps=20000, tol=1e-6)
            reached = [gradcore.nearest_minimum(r.x, minima, view.box) for r in runs]
            assert None not in reached and reached[0] != reached[1], (k, reached)  # two valleys, one each side
            if k == centre:  # beside the saddle: the two valleys the divide names
                assert set(reached) == set(divide.between)
        drawn_points = view.coords(np.vstack([m.points for m in line.family_members_with_points()]))
        assert np.all((drawn_points >= [x0 - 1e-6, y0 - 1e-6]) & (drawn_points <= [x1 + 1e-6, y1 + 1e-6]))
    [flows] = last_shown(run, "many valleys", "flows")
    closest = min(np.linalg.norm(view.coords(line.points) - s, axis=1).min() for line in flows.lines for s in saddles)
    assert closest < 0.05 * span  # a flow line passes near a saddle, then turns off into a valley
    said = {line.section: line for line in run.narration}["many valleys"]
    assert "divides" in said.en and "∇f = 0" in said.en and "watershed" not in said.en


def test_key_steps_give_five_characters_a_second_or_more_time(run):
    for line in run.narration:
        if line.section in ("the bowl", "right angles", "many valleys"):
            assert len(line.zh) / (line.end - line.start) <= 5.0 + 1e-6, line


def test_text_reaches_the_contrast_of_its_theme_and_minima_have_one_pair_of_words(run):
    background = run.palette.background
    for shot in run.snapshots:
        for words, colour, size in shot["texts"]:
            large = size >= 40
            assert contrast(colour, background) >= (3.0 if large else 4.5), (words, colour)
    shown = {words for shot in run.snapshots for words, _, _ in shot["texts"]}
    assert not any("最低的极小值" in w or "其他极小值" in w or "lowest minimum" in w for w in shown)
    assert any(w.startswith("全局极小值") or w.startswith("global minim") for w in shown)
