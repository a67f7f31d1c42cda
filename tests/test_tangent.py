"""TangentArrow: the tangent, the one-component gradient arrow and the descent step, read back from mobjects."""

import numpy as np
import pytest

import gradcore
from scenes.tangent import TangentArrow
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = [
    "curve",
    "two ways to move",
    "the tangent",
    "the derivative as a vector",
    "sweep",
    "one step downhill",
    "summary",
]


def probe(scene):
    """Chart coordinates of what is on screen after each play (the marks at P, read through the scene's graph)."""
    marks, to_chart = getattr(scene, "marks", None), scene.graph.coords
    state = {"x": marks.x.get_value() if marks is not None and marks.x is not None else None}
    if marks is not None and marks.tangent in scene.mobjects:
        (x0, y0), (x1, y1) = to_chart(np.array(marks.tangent.get_start_and_end()))
        state["tangent_slope"] = (y1 - y0) / (x1 - x0)
    if marks is not None and marks.arrow in scene.mobjects:
        start, end = to_chart(np.array(marks.arrow.get_start_and_end()))[:, 0]
        state["arrow"] = (start, end, marks.arrow.get_stroke_opacity())
    if marks is not None:
        state["point"] = to_chart(marks.point.get_center())
    if marks is not None and marks.live:
        state["readout"] = (marks.live[0].get_value(), marks.live[1].get_value())
    visible = [m for m in scene.mobjects if m.has_points() or m.submobjects]
    state["extent"] = (
        min(m.get_left()[0] for m in visible),
        max(m.get_right()[0] for m in visible),
        min(m.get_bottom()[1] for m in visible),
        max(m.get_top()[1] for m in visible),
    )
    return state


@pytest.fixture(scope="module", params=[{}, {"formula": "x^3 - 3x", "point": 1.5}], ids=["x^2", "x^3-3x"])
def case(request):
    scene = run_scene(TangentArrow, {"tangent": request.param}, probe=probe)
    return scene, scene.params.formula, scene.params.point


def snapshots_in(scene, section):
    return [s for s in scene.snapshots if s["section"] == section]


def test_tangent_drawn_at_the_point_has_the_derivative_as_slope(case):
    scene, f, x0 = case
    shot = snapshots_in(scene, "the derivative as a vector")[0]
    assert shot["tangent_slope"] == pytest.approx(float(gradcore.derivative(f, x0)), rel=1e-6)
    if f.text == "x^2":
        assert shot["tangent_slope"] == pytest.approx(2.0)


def test_gradient_arrow_points_uphill_with_its_scaled_length(case):
    scene, f, x0 = case
    start, end, opacity = snapshots_in(scene, "the derivative as a vector")[0]["arrow"]
    slope = float(gradcore.derivative(f, x0))
    assert start == pytest.approx(x0)
    assert end - start == pytest.approx(scene.arrow_scale * slope, rel=1e-6)
    assert np.sign(end - start) == np.sign(slope) and opacity == 1


def test_gradient_arrows_stay_inside_the_plotted_range_during_the_sweep(case):
    scene, _, _ = case
    lo, hi = scene.params.x_range
    for shot in snapshots_in(scene, "sweep"):
        assert lo - 1e-9 <= shot["arrow"][1] <= hi + 1e-9


def test_gradient_arrow_is_hidden_where_the_derivative_vanishes(case):
    scene, f, _ = case
    flat = [s for s in snapshots_in(scene, "sweep") if abs(float(gradcore.derivative(f, s["x"]))) < 1e-9]
    assert flat, "the sweep stops at every critical point"
    for shot in flat:
        start, end, opacity = shot["arrow"]
        assert opacity == 0 or abs(end - start) < 1e-6


def test_gradient_arrow_follows_the_sign_of_the_slope_across_the_sweep(case):
    scene, f, _ = case
    for shot in snapshots_in(scene, "sweep"):
        slope = float(gradcore.derivative(f, shot["x"]))
        start, end, _ = shot["arrow"]
        assert start == pytest.approx(shot["x"])
        if abs(slope) > 1e-6:
            assert np.sign(end - start) == np.sign(slope)
    arrow = scene.input_arrow(-0.5)
    direction = np.sign(arrow.get_end()[0] - arrow.get_start()[0])
    assert direction == np.sign(float(gradcore.derivative(f, -0.5)))


def test_x_squared_arrow_points_minus_x_at_minus_one():
    scene = run_scene(TangentArrow, {"tangent": {"point": -1.0}}, probe=probe)
    start, end, _ = snapshots_in(scene, "the derivative as a vector")[0]["arrow"]
    assert start == pytest.approx(-1.0) and end < start


def test_descent_step_lands_where_gradcore_says(case):
    scene, f, x0 = case
    path = gradcore.descend(f, [x0], lr=scene.params.lr, steps=1, tol=0)
    x1 = path.points[1, 0]
    assert x1 == pytest.approx(x0 - scene.params.lr * float(gradcore.derivative(f, x0)))
    last = snapshots_in(scene, "one step downhill")[-1]
    np.testing.assert_allclose(last["point"], [x1, float(f(x1))], atol=1e-9)
    start, end = scene.graph.coords(np.array(scene.marks.step.get_start_and_end()))[:, 0]
    assert (start, end) == pytest.approx((x0, x1))


def test_sections_follow_the_storyboard_with_a_readable_line_in_each_language(case):
    scene, _, _ = case
    check_storyboard(scene, SECTIONS)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_subtitles_hold_every_step_in_each_language(language):
    scene = run_scene(TangentArrow, language=language)
    subtitles = scene.renderer.file_writer.subcaptions
    lines = [n.line(language) for n in scene.narration]
    assert [s.content for s in subtitles] == lines
    assert len(lines) == len(SECTIONS) and all(lines)
    starts = [s.start for s in subtitles]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    if language == "zh":
        assert all(any("\u4e00" <= c <= "\u9fff" for c in line) for line in lines)


def test_everything_on_screen_stays_inside_the_frame_at_every_step(case):
    scene, _, _ = case
    for shot in scene.snapshots:
        left, right, bottom, top = shot["extent"]
        assert left >= -7.11 and right <= 7.11, shot["section"]
        assert bottom >= -4.0 and top <= 4.0, shot["section"]


def test_the_point_and_its_readout_follow_the_step_downhill(case):
    scene, f, x0 = case
    x1 = float(gradcore.descend(f, [x0], lr=scene.params.lr, steps=1, tol=0).points[1, 0])
    shots = snapshots_in(scene, "one step downhill")
    for shot in shots:  # P stays on the curve at the tracked x while it moves, not only at the end
        assert shot["point"][0] == pytest.approx(shot["x"], abs=1e-6)
    last = shots[-1]
    assert last["x"] == pytest.approx(x1)
    shown = round(x1, scene.digits(0))  # f' is shown at the x on screen, so the two rounded numbers agree
    assert last["readout"] == pytest.approx((x1, float(gradcore.derivative(f, shown))), abs=1e-6)


def test_the_slope_shown_in_the_sweep_is_that_of_the_x_shown(case):
    scene, f, _ = case
    shots = [s for s in snapshots_in(scene, "sweep") if "readout" in s]
    assert len(shots) > 3
    for shot in shots:
        x, slope = shot["readout"]
        assert slope == pytest.approx(float(gradcore.derivative(f, round(x, scene.digits(0)))), abs=1e-9)


def test_every_narration_line_the_tables_can_pick_fits_two_caption_lines():
    from itertools import product

    from scenes.tangent import SECANT_LINES, STEP_LINES, sweep_line
    from scenes.toolkit.text import wrap

    sweeps = []
    for chosen in product([False, True], repeat=3):
        facts = {name for name, holds in zip(("falls", "rises", "flat"), chosen, strict=True) if holds}
        for length in ("steeper", "even"):  # "even" (|f'| within 25 %) never comes with a flat point or a turn
            reachable = length == "steeper" or not (facts & {"flat"} or {"falls", "rises"} <= facts)
            if facts & {"falls", "rises"} and reachable:
                sweeps.append(sweep_line(frozenset(facts | {length})))
    for line in [*SECANT_LINES.values(), *STEP_LINES.values(), *sweeps]:
        for language in ("zh", "en"):
            assert len(wrap(line[language], language).split("\n")) <= 2, line[language]
    default = sweep_line(frozenset({"falls", "flat", "rises", "steeper"}))
    assert default["en"] == (
        "As x sweeps, the arrow points −x where the curve falls, vanishes where it is flat, "
        "points +x where it rises, and is longer where steeper."
    )


def test_lines_that_state_a_fact_follow_the_numbers():
    from scenes.tangent import STEP_LINES

    assert "smaller" in STEP_LINES["lower"]["en"] and "变小了" in STEP_LINES["lower"]["zh"]
    assert "larger" in STEP_LINES["higher"]["en"] and "变大" in STEP_LINES["higher"]["zh"]
    assert all("smaller" not in STEP_LINES[k]["en"] for k in ("same", "higher"))
