"""DirectionalDerivative: the readout, the traced cosine and the arrows, read back from mobjects."""

import numpy as np
import pytest
from manim import MathTypst, VMobject

import gradcore
from scenes.directional import DirectionalDerivative
from scenes.toolkit.numbers import FastNumber
from scenes.toolkit.testing import check_storyboard, run_scene

SECTIONS = [
    "surface and map",
    "every direction",
    "slope along u",
    "the dot product",
    "the cosine",
    "at the bottom",
    "summary",
]
SHOWN = 0.005  # the readout shows two decimals
SECOND = {"formula": "x^2 + x*y + 2*y^2 - x", "square": [-2.5, 2.5], "point": [1.5, 1.0]}


def on_screen(scene, mobject) -> bool:
    return mobject is not None and mobject in scene.mobjects


def probe(scene):
    """What the scene shows after each play, converted back to map and panel coordinates."""
    state = {"alpha": scene.alpha.get_value(), "p": scene.compass.p().copy()}
    readout = scene.cast.readout
    if on_screen(scene, readout):
        state["readout"] = readout.number.get_value()
        state["shown slope"] = scene.compass.shown_slope()
        state["readout drawn right"] = draws_its_value(readout.number)
    if on_screen(scene, scene.cast.u):
        start, end = scene.view.coords(np.array(scene.cast.u.get_start_and_end()))
        state["u"] = end - start
    trace = getattr(scene, "trace", None)
    if trace is not None and on_screen(scene, trace.line.curve) and trace.line.curve.has_points():
        state["traced"] = trace.line.chart.coords(trace.line.curve.get_anchors())
    arc = scene.angle.arc if hasattr(scene, "angle") else None
    if on_screen(scene, arc):
        centre = scene.view.point(scene.compass.p())
        start, end = arc.get_start() - centre, arc.get_end() - centre
        state["arc"] = (
            np.degrees(np.arctan2(start[1], start[0])),
            np.degrees(np.arctan2(end[1], end[0])),
            scene.compass.theta(),
        )
    flat = scene.narration and scene.narration[-1].section != "surface and map"  # past the 3D view: screen = world
    shown = [
        m for m in scene.mobjects if isinstance(m, VMobject) and m is not scene._caption and len(m.get_all_points())
    ]
    if flat and shown:
        state["extent"] = (
            min(m.get_left()[0] for m in shown),
            max(m.get_right()[0] for m in shown),
            min(m.get_bottom()[1] for m in shown),
            max(m.get_top()[1] for m in shown),
        )
    return state


def draws_its_value(number) -> bool:
    """Whether a live number's glyph outlines are those of its value, typeset afresh (scale aside)."""
    fresh = FastNumber(
        number.get_value(),
        num_decimal_places=number.num_decimal_places,
        mob_class=MathTypst,
        include_sign=number.include_sign,
    )
    if len(fresh.submobjects) != len(number.submobjects):
        return False
    low = number.get_corner(np.array([-1, -1, 0]))
    fresh_low = fresh.get_corner(np.array([-1, -1, 0]))
    return all(
        a.points.shape == b.points.shape
        and np.allclose((a.points - low) / number.height, (b.points - fresh_low) / fresh.height, atol=2e-3)
        for a, b in zip(number.submobjects, fresh.submobjects, strict=True)
    )


@pytest.fixture(scope="module", params=[({}, "zh"), (SECOND, "en")], ids=["x^2+3y^2", "tilted bowl"])
def case(request):
    table, language = request.param
    scene = run_scene(DirectionalDerivative, {"directional": table}, language=language, probe=probe)
    f, p0 = scene.params.formula, np.asarray(scene.params.point)
    return scene, f, p0


def shots(scene, section, key):
    return [s for s in scene.snapshots if s["section"] == section and key in s]


def gradient_angle(f, p):
    g = gradcore.gradient(f, p)
    return np.degrees(np.arctan2(g[1], g[0]))


def test_sections_follow_the_storyboard_with_a_readable_line_in_each_language(case):
    scene, _, _ = case
    check_storyboard(scene, SECTIONS)


def test_readout_at_theta_zero_equals_the_length_of_the_gradient(case):
    scene, f, p0 = case
    along = [s for s in shots(scene, "the cosine", "readout") if abs(s["alpha"] - scene.phi_g) < 1e-9]
    assert along, "u is turned onto ∇f before the trace starts"
    assert along[0]["readout"] == pytest.approx(np.hypot(*gradcore.gradient(f, p0)), abs=SHOWN)
    if f.text == "x^2 + 3*y^2":
        assert along[0]["readout"] == pytest.approx(np.sqrt(13), abs=SHOWN)  # ∇f(1, 0.5) = (2, 3)


def test_traced_curve_peaks_at_the_angle_of_the_gradient_with_its_length(case):
    scene, f, p0 = case
    theta, value = shots(scene, "the cosine", "traced")[-1]["traced"].T
    assert theta.min() == pytest.approx(0, abs=1e-6) and theta.max() == pytest.approx(360, abs=1e-6)
    top = int(np.argmax(value))
    assert value[top] == pytest.approx(np.hypot(*gradcore.gradient(f, p0)), abs=SHOWN)
    direction = (scene.phi_g + theta[top]) % 360
    assert min(abs(direction - gradient_angle(f, p0) % 360), 360 - abs(direction - gradient_angle(f, p0) % 360)) < 0.6


def test_traced_curve_is_zero_at_ninety_degrees_either_side_of_the_gradient(case):
    scene, _, _ = case
    theta, value = shots(scene, "the cosine", "traced")[-1]["traced"].T
    crossing = np.flatnonzero(np.sign(value[1:]) != np.sign(value[:-1]))
    zeros = theta[crossing] - value[crossing] * (theta[crossing + 1] - theta[crossing]) / (
        value[crossing + 1] - value[crossing]
    )
    assert zeros == pytest.approx([90, 270], abs=0.05)


def test_readout_and_trace_agree_with_gradcore_after_every_animation(case):
    scene, f, _ = case
    checked = 0
    for shot in scene.snapshots:
        u = gradcore.directional_derivative(
            f, shot["p"], [np.cos(np.radians(shot["alpha"])), np.sin(np.radians(shot["alpha"]))]
        )
        if "readout" in shot:  # D_u f at the angle shown (whole degrees), within half a degree's change of u's
            assert shot["readout"] == pytest.approx(round(shot["shown slope"], 2) + 0.0, abs=1e-9), shot["section"]
            g = np.hypot(*gradcore.gradient(f, shot["p"]))
            assert shot["shown slope"] == pytest.approx(float(u), abs=g * np.radians(0.5) + 1e-9), shot["section"]
            checked += 1
        if "traced" in shot and shot["section"] == "the cosine":
            theta, value = shot["traced"].T
            expected = gradcore.directional_derivative(
                f,
                shot["p"],
                np.stack([np.cos(np.radians(scene.phi_g + theta)), np.sin(np.radians(scene.phi_g + theta))], axis=-1),
            )
            np.testing.assert_allclose(value, expected, atol=1e-6)
    assert checked > 20


def test_readout_and_trace_follow_gradcore_at_any_angle(case):
    """What each frame shows, for angles between the snapshots: the updaters run at chosen θ."""
    scene, f, p0 = case
    saved = scene.alpha.get_value(), scene.slide.get_value()
    scene.slide.set_value(0.0)
    for theta in np.linspace(0, 360, 37):
        scene.alpha.set_value(scene.phi_g + theta)
        scene.cast.readout.refresh()
        scene.trace.line.so_far()
        expected = float(gradcore.directional_derivative(f, p0, scene.compass.u()))
        shown = scene.cast.readout.number.get_value()
        assert shown == pytest.approx(expected if abs(expected) >= SHOWN else 0, abs=SHOWN)
        scene.alpha.set_value(scene.phi_g + theta + 0.4)  # between whole degrees: D_u f at the θ shown
        scene.cast.readout.refresh()
        at_shown = np.hypot(*gradcore.gradient(f, p0)) * np.cos(np.radians(round(theta + 0.4)))
        assert scene.cast.readout.number.get_value() == pytest.approx(round(at_shown, 2) + 0.0, abs=1e-9)
        scene.alpha.set_value(scene.phi_g + theta)
        assert scene.trace.line.chart.coords(scene.trace.line.curve.get_end()) == pytest.approx(
            [theta, expected], abs=1e-9
        )
        assert expected == pytest.approx(np.hypot(*gradcore.gradient(f, p0)) * np.cos(np.radians(theta)), abs=1e-9)
    scene.alpha.set_value(saved[0])
    scene.slide.set_value(saved[1])


def test_readout_draws_the_digits_of_its_value_after_every_animation(case):
    scene, _, _ = case
    drawn = [s["readout drawn right"] for s in scene.snapshots if "readout" in s]
    assert drawn and all(drawn)


def test_everything_stays_inside_the_frame_and_above_the_captions(case):
    scene, _, _ = case
    for shot in (s for s in scene.snapshots if "extent" in s):
        left, right, bottom, top = shot["extent"]
        assert left >= -7.11 and right <= 7.11, shot["section"]
        assert bottom >= -3.05 and top <= 4.0, shot["section"]


def test_u_stays_unit_length_throughout(case):
    scene, _, _ = case
    drawn = [s for s in scene.snapshots if "u" in s]
    assert len(drawn) > 20
    for shot in drawn:
        assert np.hypot(*shot["u"]) == pytest.approx(scene.u_scale, rel=1e-6), shot["section"]
        direction = np.degrees(np.arctan2(shot["u"][1], shot["u"][0]))
        assert np.cos(np.radians(direction - shot["alpha"])) == pytest.approx(1, abs=1e-9)
    assert scene.u_scale == 1.0  # both squares leave room to draw u at its true length
    assert np.hypot(*scene.compass.u()) == pytest.approx(1, abs=1e-12)


def test_theta_arc_runs_anticlockwise_from_the_gradient_to_u(case):
    scene, f, p0 = case
    start, end, theta = shots(scene, "the dot product", "arc")[-1]["arc"]
    assert start == pytest.approx(gradient_angle(f, p0), abs=0.5)
    assert theta == pytest.approx(50, abs=1e-6)
    assert (end - start) % 360 == pytest.approx(theta, abs=0.5)


def test_every_traced_value_is_zero_at_the_minimum(case):
    scene, f, _ = case
    last = shots(scene, "at the bottom", "traced")[-1]
    [minimum] = gradcore.find_minima(f, scene.box)[:1]
    np.testing.assert_allclose(last["p"], minimum.point, atol=1e-9)
    assert np.abs(last["traced"][:, 1]).max() < SHOWN
    assert last["readout"] == 0


def test_the_slice_through_the_minimum_has_a_flat_tangent_and_bends_up(case):
    scene, f, _ = case
    cut, graph, tangent = scene.bottom_slice
    scene.update_mobjects(0)
    ends = tangent.get_start(), tangent.get_end()
    assert abs(ends[0][1] - ends[1][1]) < 1e-6  # D_u f = 0: the tangent is level, whichever way u points
    ys = graph.get_all_points()[:, 1]
    lowest = scene.target.point
    assert np.argmin(ys) in range(len(ys) // 2 - 3, len(ys) // 2 + 4)  # lowest at t = 0, the minimum itself
    assert ys[0] > ys.min() + 0.2 and ys[-1] > ys.min() + 0.2  # and f rises either way
    assert np.allclose(scene.compass.p(), lowest)


def test_at_a_saddle_every_traced_value_is_zero_too_and_the_narration_says_saddle():
    scene = run_scene(DirectionalDerivative, {"directional": {"formula": "x*y + x^2/2"}}, probe=probe)
    last = shots(scene, "at the bottom", "traced")[-1]
    assert scene.target.kind == "saddle"
    np.testing.assert_allclose(last["p"], [0, 0], atol=1e-6)
    assert np.abs(last["traced"][:, 1]).max() < SHOWN
    bottom = scene.narration[SECTIONS.index("at the bottom")]
    assert "saddle" in bottom.en and "鞍点" in bottom.zh and "minimum" not in bottom.en


def test_default_gradient_is_not_radial():
    """The reason for the default formula: at p₀ the gradient visibly leaves the ray from the centre."""
    f = DirectionalDerivative.parameters["formula"].default
    g = gradcore.gradient(gradcore.parse(f), [1.0, 0.5])
    assert abs(np.degrees(np.arctan2(g[1], g[0]) - np.arctan2(0.5, 1.0))) > 25


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"point": [3, 0]}, "point"),
        ({"point": [0, 0]}, "point"),
        ({"turn_speed": 0}, "turn_speed"),
        ({"turn_speed": 500}, "turn_speed"),
        ({"turn_speed": 1e-300}, "turn_speed"),
        ({"formula": "x + y"}, "formula"),
        ({"formula": "log(x)"}, "formula"),
        ({"formula": "1 + 0*x*y"}, "formula"),
    ],
    ids=["outside", "flat at p0", "speed", "too fast", "too slow", "no flat point", "not finite", "constant"],
)
def test_bad_configuration_is_refused_before_rendering(table, key, capsys):
    with pytest.raises(SystemExit):
        run_scene(DirectionalDerivative, {"directional": table})
    err = capsys.readouterr().err
    assert "table [directional]" in err and f"'{key}'" in err
