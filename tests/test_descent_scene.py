"""BallDescent: balls on the surface at the ends of their gradcore paths, honest labels and statuses.

Two dry runs (tiny resolution, no video), each reused by every test: the default
landscape (VALLEYS) in English on the dark theme, and a second landscape with
other starts and four step sizes in Chinese on the light theme.
"""

import numpy as np
import pytest
from manim import OUT, BackgroundRectangle, Text, Typst, ValueTracker

import gradcore
from scenes.descent import BALL_RADIUS, TOL, BallDescent
from scenes.toolkit.fields import contrast
from scenes.toolkit.landscape import LandscapeView
from scenes.toolkit.rollout import Ball, LossChart, Rollout
from scenes.toolkit.testing import check_storyboard, run_scene
from scenes.toolkit.text import TYPST_SCALE

SECTIONS = ["the landscape", "the valleys", "one ball", "many starts", "step size", "summary"]

SECOND = {
    "formula": "0.15*(x^2 + y^2) + 1 - 1.3*exp(-((x - 1)^2 + (y - 0.8)^2)) - 0.9*exp(-((x + 1.1)^2 + (y + 0.9)^2)/0.6)",
    "x_range": [-2.5, 2.5],
    "y_range": [-2.5, 2.5],
    "start": [-2.2, -2.2],
    "starts": [[2.2, -2.0], [-2.2, -2.2], [2.0, 2.2], [-2.0, 1.5]],
    "lr": 0.3,
    "compare_start": [0.0, 0.0],
    "compare_lrs": [0.02, 0.3, 2.0, 3.0],
}


def _opacity(mobject):
    return max((float(np.max(m.get_fill_opacities())) for m in mobject.family_members_with_points()), default=0.0)


def probe(scene):
    """Centres of the balls on stage, whether every point on stage is finite and near the frame, and the texts."""
    family = scene.get_mobject_family_members()
    points = [m.points for m in family if len(m.points) and not isinstance(m, ValueTracker)]  # a tracker's value
    stacked = np.concatenate(points) if points else np.zeros((0, 3))
    texts = [(getattr(m, "original_text", None) or m.typst_code, m.get_fill_color().to_hex(),
              m.font_size / (1.0 if isinstance(m, Text) else TYPST_SCALE))
             for m in family if isinstance(m, Text | Typst) and _opacity(m) > 0.5]  # fmt: skip
    return {
        "balls": [m.get_center().copy() for m in family if isinstance(m, Ball)],
        "finite": bool(np.all(np.isfinite(stacked))),
        "extent": float(np.abs(stacked).max(initial=0.0)),
        "texts": texts,
    }


@pytest.fixture(scope="module", params=["default", "second"])
def scene(request):
    if request.param == "default":
        return run_scene(BallDescent, language="en", theme="dark", probe=probe)
    return run_scene(BallDescent, {"descent": SECOND}, language="zh", theme="light", probe=probe)


def resting_point(scene, centre):
    """(x, y, z) in the landscape's coordinates of the surface point a ball's centre rests on."""
    return scene.world.view.world_coords(np.asarray(centre) - BALL_RADIUS * OUT)


def assert_on_surface(scene, centre):
    x, y, z = resting_point(scene, centre)
    view = scene.world.view
    assert z == pytest.approx(float(scene.world.f(x, y)), abs=1e-6 * (view.high - view.low))


def descend(scene, start, lr):
    return gradcore.descend(scene.world.f, start, lr=lr, steps=scene.params.steps, tol=TOL)


def test_the_steps_are_the_storyboard_sections_with_a_readable_line_in_each_language(scene):
    check_storyboard(scene, SECTIONS)


def test_the_single_ball_ends_on_the_last_point_of_its_gradcore_path_resting_on_the_surface(scene):
    run = descend(scene, scene.params.start, scene.params.lr)
    assert np.allclose(scene.single.path.points, run.points)
    x, y, _ = resting_point(scene, scene.single.ball.get_center())
    assert np.allclose([x, y], run.x, atol=1e-9)
    assert_on_surface(scene, scene.single.ball.get_center())


def test_balls_rest_on_the_surface_after_every_animation(scene):
    checked = 0
    for shot in scene.snapshots:
        if shot["section"] in ("one ball", "many starts"):
            for centre in shot["balls"]:
                assert_on_surface(scene, centre)
                checked += 1
    assert checked > 10


def test_each_of_many_balls_ends_on_its_paths_last_point_and_its_label_names_the_minimum(scene):
    runs = descend(scene, scene.params.starts, scene.params.lr)
    minima = gradcore.find_minima(scene.world.f, scene.world.box)
    assert len(scene.many) == len(runs)
    for roll, run in zip(scene.many, runs, strict=True):
        assert np.allclose(roll.path.points, run.points)
        x, y, _ = resting_point(scene, roll.ball.get_center())
        assert np.allclose([x, y], run.x, atol=1e-9)
        assert_on_surface(scene, roll.ball.get_center())
    labelled = sorted(i for label in scene.end_labels for i in label.members)
    assert labelled == list(range(len(runs)))
    for label in scene.end_labels:
        for i in label.members:
            run = runs[i]
            nearest = int(np.argmin([np.linalg.norm(run.x - m.point) for m in minima]))
            assert run.status == "converged"
            assert label.kind == ("global" if nearest == 0 else "local")
    assert {label.kind for label in scene.end_labels} >= {"global", "local"}


def test_valley_labels_match_find_minima_with_global_on_the_lowest_value(scene):
    minima = gradcore.find_minima(scene.world.f, scene.world.box)
    assert len(minima) >= 2
    assert [label.kind for label in scene.valley_labels] == ["global"] + ["local"] * (len(minima) - 1)
    assert scene.valley_labels[0].value == min(m.value for m in minima)
    for label, mark, minimum in zip(scene.valley_labels, scene.marks, minima, strict=True):
        assert label.value == pytest.approx(minimum.value)
        x, y, z = scene.world.view.world_coords(mark.get_center())
        assert np.allclose([x, y, z], [*minimum.point, minimum.value], atol=1e-9)


def test_the_inset_ends_on_the_final_loss_and_the_hud_shows_it(scene):
    run = scene.single.path
    final = run.fun
    hud, chart = scene.step3_overlay[:2]
    step, loss = chart.coords(chart.curve.points[-1])
    assert step == pytest.approx(run.steps)
    assert loss == pytest.approx(final, abs=1e-9)
    assert hud[0][1].get_value() == run.steps
    assert hud[1][1].get_value() == pytest.approx(final)


def test_step_sizes_report_gradcores_status_and_draw_only_inside_the_map(scene):
    statuses = []
    for panel, lr in zip(scene.panels, scene.params.compare_lrs, strict=True):
        run = descend(scene, scene.params.compare_start, lr)
        assert panel.path.status == run.status and panel.path.steps == run.steps
        statuses.append(run.status)
        (x0, x1), (y0, y1) = scene.world.box
        for point in [*panel.roll.line.points, panel.roll.ball.get_center()]:
            x, y = panel.view.coords(point)
            assert x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9
        leaves = gradcore.clip_to_box(run.points, scene.world.box)[1]
        assert (panel.exit_mark is not None) == (leaves is not None)
    verdicts = [panel.verdict for panel in scene.panels]
    assert verdicts[0] == "crawling" and verdicts[1] == "arrived"
    largest = scene.panels[-1]
    if scene.params.compare_lrs[-1] == 12.0:  # the default: crawls, arrives, zig-zags, flies off, and gradcore says so
        assert verdicts == ["crawling", "arrived", "oscillating", "diverged"]
        assert statuses[-1] == "diverged" and largest.verdict == "diverged"
        assert "diverged" in largest.result[1].original_text
    else:  # the second landscape: η = 2 zig-zags inside the map, η = 3 leaves it without diverging
        assert verdicts[2:] == ["oscillating", "diverged"]
        assert "来回跳" in scene.panels[2].result[0].original_text  # the verdict's words, in Chinese
        assert statuses[2:] == ["max_steps", "max_steps"]
        assert "步数用完" in largest.result[1].original_text


def test_the_clip_ends_on_the_summary_card_alone(scene):
    on_stage = [
        m
        for m in scene.mobjects  # empty groups left by animations draw nothing
        if not isinstance(m, ValueTracker) and any(len(part.points) for part in m.get_family())
    ]
    title, lines = scene.summary_card
    assert {id(m) for m in on_stage} == {id(title), *(id(line) for line in lines), id(scene._caption)}


def test_nothing_non_finite_or_far_off_ever_reaches_the_stage(scene):
    assert all(shot["finite"] for shot in scene.snapshots)
    assert max(shot["extent"] for shot in scene.snapshots) < 30


@pytest.mark.parametrize(
    ("tables", "reason"),
    [
        ({"starts": [[0, 0]] * 7}, "at most 6"),
        ({"compare_lrs": [0.1] * 5}, "at most 4"),
        ({"start": [5, 0]}, "outside"),
        ({"lr": 0}, "≥ 1e-6"),
        ({"lr": 1e300}, "at most 1000"),
        ({"formula": "1/x + y"}, "not finite"),
    ],
)
def test_bad_config_is_refused_before_anything_renders(tables, reason, capsys):
    with pytest.raises(SystemExit):
        run_scene(BallDescent, {"descent": tables})
    assert reason in capsys.readouterr().err


def test_with_momentum_the_balls_follow_gradcores_momentum_paths():
    momentum = run_scene(BallDescent, {"descent": {"optimizer": "momentum", "steps": 60}})
    f, p = momentum.world.f, momentum.params
    run = gradcore.descend(f, p.start, optimizer="momentum", lr=p.lr, steps=p.steps, tol=TOL, beta=0.9)
    plain = gradcore.descend(f, p.start, lr=p.lr, steps=p.steps, tol=TOL)
    assert np.allclose(momentum.single.path.points, run.points)
    assert not np.allclose(run.x, plain.x, atol=1e-3)  # momentum really took another path
    x, y, _ = resting_point(momentum, momentum.single.ball.get_center())
    assert np.allclose([x, y], run.x, atol=1e-9)
    assert_on_surface(momentum, momentum.single.ball.get_center())
    for roll, start in zip(momentum.many, p.starts, strict=True):
        expected = gradcore.descend(f, start, optimizer="momentum", lr=p.lr, steps=p.steps, tol=TOL, beta=0.9)
        assert np.allclose(roll.path.points, expected.points)
    # momentum's own swing is not blamed on η, and the rule said is momentum's
    for panel in momentum.panels:
        if panel.verdict == "oscillating":
            assert "too large" not in panel.result[0].original_text and "swings" in panel.result[0].original_text
    said = {line.section: line for line in momentum.narration}
    assert "v ← βv − η∇f(θ), θ ← θ + v" in said["one ball"].en
    assert said["summary"].en.startswith("Momentum adds up the steps")


def test_a_rollout_moves_straight_between_steps_and_hides_its_ball_once_it_leaves_the_map():
    view = LandscapeView(lambda x, y: x**2 + y**2, ((-1, 1), (-1, 1)), size=4.0)
    path = gradcore.descend(lambda x, y: x**2 + y**2, [0.5, 0.0], lr=1.2, steps=5, tol=1e-9)  # x ← −1.4 x
    roll = Rollout.on_map(view, path, "#FFFFFF", "#000000", ball_radius=0.1, dot_radius=0.04)
    assert roll.exit_step == 3 and np.allclose(roll.visible[-1], [-1.0, 0.0])  # 0.5 → −0.7 → 0.98 → −1.372
    assert np.allclose(roll.xy(0.5), [-0.1, 0.0])
    (ball, place), *_ = roll.followers()
    place(ball, 1.0)
    assert np.allclose(ball.get_center(), view.point([-0.7, 0.0])) and ball.get_fill_opacity() == 1.0
    place(ball, roll.last)
    assert ball.get_fill_opacity() == 0.0


# --- issue 13 -------------------------------------------------------------------------------------


def test_the_zig_zagging_eta_sits_near_two_over_lambda_max_of_its_valley_and_the_narration_says_so(scene):
    minima = gradcore.find_minima(scene.world.f, scene.world.box)
    said = {line.section: line for line in scene.narration}["step size"]
    for panel in scene.panels:
        nearest = min(minima, key=lambda m: np.linalg.norm(m.point - panel.path.x))
        lam = np.linalg.eigvalsh(gradcore.hessian(scene.world.f, nearest.point)).max()  # independent λmax
        near = 0.7 <= panel.path.hyper["lr"] * lam / 2 <= 1.3
        if panel.verdict != "oscillating" or not near:  # the bound is named only where it explains a zig-zag
            assert panel.bound is None
            continue
        assert panel.bound == pytest.approx(2 / lam, rel=1e-6)
        assert 0.7 <= panel.path.hyper["lr"] * lam / 2 <= 1.3
        steps = np.diff(panel.path.points, axis=0)
        assert (np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0).mean() > 0.5  # most steps turn back: a zig-zag
        shown = f"{2 / lam:.2f}"
        assert f"2/λmax = {shown}" in said.zh + said.en
        assert any(f"lambda_max = {shown}" in getattr(line, "typst_code", "") for line in panel.result)


def test_the_default_comparison_starts_on_a_steady_slope_far_from_any_saddle(scene):
    if scene.params.compare_lrs[-1] != 12.0:
        return
    start = np.asarray(scene.params.compare_start)
    saddles = [c for c in gradcore.critical_points(scene.world.f, scene.world.box) if c.kind == "saddle"]
    assert min(np.linalg.norm(start - s.point) for s in saddles) > 1.0
    crawl = scene.panels[0].path
    assert np.linalg.norm(crawl.x - crawl.points[0]) > 0.15 * 6  # it visibly moves, but does not arrive
    said = {line.section: line for line in scene.narration}["step size"]
    assert "still crawls at step 40" in said.en and "barely moves" not in said.en


def test_the_update_is_written_on_the_point_theta_not_on_its_first_coordinate(scene):
    said = {line.section: line for line in scene.narration}
    assert "θ ← θ − η∇f(θ)" in said["one ball"].zh + said["one ball"].en
    assert "x ← x" not in said["one ball"].en + said["one ball"].zh
    shown = {words for shot in scene.snapshots for words, _, _ in shot["texts"]}
    assert any("theta arrow.l theta - eta nabla f(theta)" in w for w in shown)
    assert not any("x arrow.l x" in w or "x_(k+1)" in w for w in shown)


def test_a_minimum_is_flat_to_first_order_and_curves_up_every_way(scene):
    said = {line.section: line for line in scene.narration}["the valleys"]
    assert "∇f = 0" in said.en and "curves up" in said.en and "向上弯" in said.zh
    assert "every way out of it goes up" not in said.en  # the first-order slope there is 0
    for minimum in scene.world.minima:  # and the Hessian says it curves up every way
        assert np.linalg.eigvalsh(gradcore.hessian(scene.world.f, minimum.point)).min() > 0


def test_values_of_f_read_with_one_number_of_decimals_and_minima_with_one_pair_of_words(scene):
    decimals = scene.world.decimals
    for label in scene.valley_labels:
        words, value = label[1]  # the backing first
        assert value.typst_code.strip("$ ") == "f = " + f"{label.value:.{decimals}f}".replace("-", "−")
        assert isinstance(label[0], BackgroundRectangle)  # a backing on the 3D surface
        assert words.original_text in ("全局极小值", "局部极小值", "global minimum", "local minimum")
    shown = {words for shot in scene.snapshots for words, _, _ in shot["texts"]}
    assert not any("lowest minimum" in w or "最低的极小值" in w for w in shown)


def test_text_reaches_the_contrast_of_its_theme(scene):
    background = scene.palette.background
    for shot in scene.snapshots:
        for words, colour, size in shot["texts"]:
            assert contrast(colour, background) >= (3.0 if size >= 40 else 4.5), (words, colour)


def test_the_loss_shown_changes_only_when_a_step_lands():
    f = lambda x, y: x**2 + 3 * y**2  # noqa: E731
    view = LandscapeView(f, ((-1, 1), (-1, 1)), size=4.0)
    path = gradcore.descend(f, [0.9, 0.8], lr=0.1, steps=6, tol=1e-9)
    roll = Rollout.on_map(view, path, "#FFFFFF", "#000000", ball_radius=0.1, dot_radius=0.04)
    for s in (0.0, 0.3, 0.99, 1.0, 2.5, 5.7):
        assert roll.step_value(s) == pytest.approx(path.values[int(np.floor(s + 1e-9))])
    assert roll.step_value(2.5) != pytest.approx(roll.value_at(2.5))  # f on the straight segment is another number

    from types import SimpleNamespace

    from manim import Dot

    from scenes.toolkit.theme import DARK

    stage = SimpleNamespace(palette=DARK, math=lambda *a, **k: Dot(), text=lambda *a, **k: Dot(), say=lambda zh, en: en)
    chart = LossChart(stage, roll, None)
    step, loss = chart.coords(chart.corners(2.5)[-1])
    assert step == pytest.approx(2.5) and loss == pytest.approx((path.values[2] + path.values[3]) / 2)
