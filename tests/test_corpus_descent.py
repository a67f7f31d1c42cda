"""A corpus of lecturers' edits to [descent]: each is refused before rendering, naming the key, or it renders
(dry run) and every claim of its narration and labels is checked against gradcore.

Refusals are fast (the loader only); the two rendered cases are 3D dry runs, each made once per module and
shared by every assertion about it: Himmelblau's function with four tied minima (η = 0.01), and the same
landscape at η = 0.025, where some balls fly off the map at the first step and the others are still moving.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import gradcore
from scenes.descent import BETA, TOL, BallDescent
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

HIMMELBLAU = {"formula": "(x^2+y-11)^2+(x+y^2-7)^2", "x_range": [-5, 5], "y_range": [-5, 5]}
SECTIONS = ["the landscape", "the valleys", "one ball", "many starts", "step size", "summary"]


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"descent": table}), encoding="utf-8")
    return load_scene_config(BallDescent, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param(dict(HIMMELBLAU), "lr", "try lr = ", id="himmelblau-default-eta-every-ball-leaves"),
    pytest.param({"formula": "3"}, "formula", "no valley", id="constant-landscape"),
    pytest.param({"formula": "x + y"}, "formula", "no minimum inside the map", id="tilted-plane"),
    pytest.param({"formula": "log((x-0.05)^2+(y-0.05)^2)"}, "formula", "", id="pole-at-the-centre"),
    pytest.param({"formula": "log(x) + y^2"}, "formula", "", id="log-undefined-on-half-the-map"),
    pytest.param({"lr": 1e300}, "lr", "at most 1000", id="absurd-eta"),
    pytest.param({"lr": 1e-300}, "lr", "1e-6", id="vanishing-eta"),
    pytest.param({"compare_lrs": [0.02, 1e300]}, "compare_lrs", "1000", id="absurd-compared-eta"),
    pytest.param({"x_range": [-1e6, 1e6]}, "x_range", "", id="huge-range"),
    pytest.param(
        {"formula": "x^2 + y^2", "x_range": [1, 3], "start": [2, 0], "starts": [[2.5, 1]], "compare_start": [2, 1]},
        "formula",
        "edge",
        id="minimum-outside-the-map",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_the_suggested_eta_for_himmelblau_is_below_two_over_lambda_max_and_lets_a_ball_arrive(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(dict(HIMMELBLAU), tmp_path)
    suggested = float(re.search(r"try lr = ([0-9.e+-]+)", str(refused.value)).group(1))
    f = gradcore.parse(HIMMELBLAU["formula"], variables=("x", "y"))
    box = ((-5, 5), (-5, 5))
    minima = gradcore.find_minima(f, box)
    hessians = [np.linalg.eigvalsh(gradcore.hessian(f, m.point)).max() for m in minima]  # independent λmax
    assert suggested < 2 / max(hessians)
    params = load({**HIMMELBLAU, "lr": suggested}, tmp_path)  # accepted
    runs = gradcore.descend(f, np.vstack([params.start, params.starts]), lr=suggested, steps=params.steps, tol=TOL)
    assert any(r.status == "converged" and gradcore.nearest_minimum(r.x, minima, box) is not None for r in runs)


def test_momentum_that_never_settles_within_the_steps_is_taught_not_refused(tmp_path):
    params = load({"optimizer": "momentum"}, tmp_path)
    runs = gradcore.descend(params.formula, params.starts, optimizer="momentum", lr=params.lr, steps=40, tol=TOL,
                            beta=BETA)  # fmt: skip
    assert all(run.status == "max_steps" for run in runs)  # the clip says they are still moving


# --- rendered: one dry run of Himmelblau at η = 0.02 ----------------------------------------------
# Four tied minima; the single ball arrives; of the many, two fly off at step 1 (crossing the left edge
# 0.4 apart), two arrive and one is still moving; the comparison crawls, arrives and blows up at step 1.

CASE = {**HIMMELBLAU, "lr": 0.02, "start": [-4.75, 0.75],
        "starts": [[-3.25, -4.75], [-2.75, -4.75], [-4.75, 0.75], [1.5, 1.5], [-1.2, -2.8]],
        "compare_start": [0.25, 0.5], "compare_lrs": [0.001, 0.02, 0.4]}  # fmt: skip


@pytest.fixture(scope="module")
def scene():
    return run_scene(BallDescent, {"descent": CASE}, language="en")


def lines(scene):
    return {line.section: line for line in scene.narration}


def test_tied_minima_are_each_called_global_and_the_narration_says_so(scene):
    check_storyboard(scene, SECTIONS)
    minima = gradcore.find_minima(scene.world.f, scene.world.box)
    assert len(minima) == 4 and max(m.value for m in minima) < 1e-9  # Himmelblau: f = 0 at each
    assert [label.kind for label in scene.valley_labels] == ["global"] * 4
    assert {label[1][1].typst_code.strip("$ ") for label in scene.valley_labels} == {
        "f = 0.00"
    }  # one value, one reading
    said = lines(scene)
    assert " It has 4 valleys." in said["the landscape"].en and "地形上有 4 个山谷" in said["the landscape"].zh
    assert "All 4 are equally low: each is a global minimum." in said["the valleys"].en
    assert "这 4 个一样低" in said["the valleys"].zh


def test_the_single_ball_in_a_tied_valley_is_never_said_to_miss_the_lowest(scene):
    run = scene.single.path
    assert (
        run.status == "converged" and gradcore.nearest_minimum(run.x, scene.world.minima, scene.world.box) is not None
    )
    said = lines(scene)["one ball"]
    assert "not the lowest" not in said.en and "不是最低" not in said.zh
    assert said.en.endswith("It stops in one of the lowest valleys.")
    assert scene.step3_overlay[-1].original_text == f"converged after {run.steps} steps"


def test_the_many_starts_line_counts_what_the_balls_did(scene):
    box = scene.world.box
    verdicts = [gradcore.verdict(ball.path, box) for ball in scene.many]
    assert verdicts.count("diverged") == 2 and verdicts.count("arrived") == 2
    said = lines(scene)["many starts"]
    expected = "2 roll into a valley, 2 fly off the map, 1 is still moving when the steps run out."
    assert said.en == "Several balls start at once: " + expected
    assert "2 个滚进山谷" in said.zh and "2 个冲出地图" in said.zh and "1 个在步数用完时还在动" in said.zh


def test_balls_leaving_the_map_at_one_place_share_one_label(scene):
    left = [label for label in scene.end_labels if label.kind == "left"]
    assert len(left) == 1 and left[0].members == [0, 1]
    ends = [scene.many[i].visible[-1] for i in left[0].members]
    assert np.linalg.norm(ends[0] - ends[1]) < 0.08 * 10  # within LABEL_MERGE of the map's side
    assert sorted(i for label in scene.end_labels for i in label.members) == [0, 1, 2, 3, 4]
    for label in scene.end_labels:
        if label.kind in ("global", "local"):
            assert label.kind == "global" and "$f = 0.00$" in label[2].typst_code  # tied valleys read alike
            assert "global minimum" in label[2].typst_code  # the clip's one pair of words: global / local minimum


def test_one_step_runs_say_one_step_and_the_comparison_earns_the_summary_line(scene):
    assert [panel.verdict for panel in scene.panels] == ["crawling", "arrived", "diverged"]
    blown = scene.panels[2]
    counts = " · ".join(line.original_text for line in blown.result[1:-1])  # one line where it fits, else two
    assert blown.path.steps == 1 and counts == "diverged · 1 step"
    assert blown.result[-1].typst_code.strip("$ ").startswith("f = ")
    said = lines(scene)
    assert "η = 0.4 overshoots and diverges" in said["step size"].en and "1 steps" not in said["step size"].en
    assert "η = 0.4 冲过头，发散" in said["step size"].zh
    assert f"arrives in {scene.panels[1].path.steps} steps" in said["step size"].en
    assert "η = 0.001 still crawls at step 40" in said["step size"].en  # it is out of steps, not stuck
    assert "2/λmax" not in said["step size"].en  # no run zig-zags here, so the bound is not named
    assert "η decides whether you crawl, arrive or overshoot." in said["summary"].en
    card = [line.typst_code for line in scene.summary_card[1]]
    assert any("too small crawls" in line for line in card)


def test_a_comparison_without_a_crawl_gets_the_neutral_summary_line():
    from scenes.toolkit.rollout import eta_story

    assert not eta_story([(0.02, "arrived"), (0.4, "diverged"), (12.0, "diverged")])  # Himmelblau's default η
    assert not eta_story([(0.02, "swinging"), (0.4, "swinging")])  # momentum's swing is not η's overshoot
