"""A corpus of lecturers' edits to [gradient_field] (and to [descent], which step 5 follows): each is refused
before rendering, naming the key, or it renders (dry run) and its narration is checked against gradcore.

Refusals and the followed defaults are checked through the loader only (fast). Two dry runs are shared by
the assertions about them: a two-valley landscape for steps 1–4 with a single bowl in step 5, and the
defaults with Himmelblau's function given only in [descent] (four tied minima, four saddles in step 5).
"""

from __future__ import annotations

import numpy as np
import pytest

import gradcore
from scenes.gradient_field import GradientField
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

HIMMELBLAU = {"formula": "(x^2+y-11)^2+(x+y^2-7)^2", "x_range": [-5, 5], "y_range": [-5, 5], "lr": 0.01}
SECTIONS = ["the bowl", "flatten", "right angles", "downhill", "many valleys", "summary"]


def load(tables: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text(tables), encoding="utf-8")
    return load_scene_config(GradientField, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"gradient_field": {"formula": "x + y"}}, "formula", "no minimum", id="tilted-plane"),
    pytest.param({"gradient_field": {"formula": "3"}}, "formula", "constant", id="constant"),
    pytest.param({"gradient_field": {"second_formula": "x + y"}}, "second_formula", "no minimum", id="second-plane"),
    pytest.param({"descent": {"formula": "x - y"}}, "second_formula", "no minimum", id="followed-plane"),
    pytest.param(
        {"gradient_field": {"formula": "x^2 + y^2", "x_range": [0.5, 2], "points": [[1, 0]], "level_point": [1, 1]}},
        "formula",
        "no minimum",
        id="minimum-off-the-map",
    ),
    pytest.param({"gradient_field": {"level_point": [0.0, 0.0]}}, "level_point", "∇f = 0", id="level-at-minimum"),
    pytest.param({"gradient_field": {"second_formula": "log(x) + y^2"}}, "second_formula", "", id="log-domain"),
    pytest.param({"gradient_field": {"density": 100}}, "density", "", id="too-dense"),
    pytest.param({"gradient_field": {"x_range": [-1e6, 1e6]}}, "x_range", "", id="huge-range"),
]


@pytest.mark.parametrize(("tables", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key(tables, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(tables, tmp_path)
    message = str(refused.value)
    assert f"key '{key}'" in message and words in message, message


def test_step_five_follows_the_descent_landscape_unless_the_table_says_otherwise(tmp_path):
    params = load({"descent": HIMMELBLAU}, tmp_path)
    assert params.raw["second_formula"] == HIMMELBLAU["formula"]
    assert tuple(params.second_x_range) == (-5, 5) and tuple(params.second_y_range) == (-5, 5)
    own = load({"descent": HIMMELBLAU, "gradient_field": {"second_formula": "x^2 + y^2"}}, tmp_path)
    assert own.raw["second_formula"] == "x^2 + y^2"  # its own key wins; the ranges still follow [descent]
    assert tuple(own.second_x_range) == (-5, 5)


# --- rendered: two valleys first, then a single bowl -------------------------------------------


TWO_THEN_ONE = {"formula": "x^4 - 2*x^2 + y^2", "second_formula": "(x-0.5)^2 + 2*(y+0.3)^2",
                "second_x_range": [-2, 2], "second_y_range": [-2, 2]}  # fmt: skip


@pytest.fixture(scope="module")
def two_then_one():
    return run_scene(GradientField, {"gradient_field": TWO_THEN_ONE}, language="en")


def lines(scene):
    return {line.section: line for line in scene.narration}


def flow_ends(f, box, count):
    """Where the flow lines of the scene's ring end, and which minimum each reaches, computed here."""
    starts = gradcore.ring_points(box, count, 0.92)
    minima = gradcore.find_minima(f, box)
    ends = [gradcore.nearest_minimum(p[-1], minima, box) for p in gradcore.flow_lines(f, starts, box)]
    return minima, ends


def test_two_valleys_are_not_called_a_bowl(two_then_one):
    check_storyboard(two_then_one, SECTIONS)
    p = two_then_one.params
    box = (p.x_range, p.y_range)
    minima, ends = flow_ends(p.formula, box, p.flow_lines)
    assert len(minima) == 2 and None not in ends and len(set(ends)) == 2
    said = lines(two_then_one)
    assert "has 2 valleys" in said["the bowl"].en and "bowl" not in said["the bowl"].en
    assert "rim" not in said["flatten"].en and "zero at a valley floor" in said["flatten"].en
    assert "all run into a valley" in said["downhill"].en and "the minimum" not in said["downhill"].en


def test_a_single_bowl_in_step_five_is_not_said_to_split_flows_between_valleys(two_then_one):
    p = two_then_one.params
    box = (p.second_x_range, p.second_y_range)
    assert not [c for c in gradcore.critical_points(p.second_formula, box) if c.kind == "saddle"]
    minima, ends = flow_ends(p.second_formula, box, p.flow_lines)
    assert len(minima) == 1 and set(ends) == {0}
    said = lines(two_then_one)
    assert said["many valleys"].en == "This landscape has a single valley: every flow line ends in it."
    assert "watershed" not in said["many valleys"].en and "鞍点" not in said["many valleys"].zh
    assert "divide" not in said["many valleys"].en  # one valley: nothing to divide
    card = two_then_one.summary_card[1]
    assert "the start decides which one" not in card[-1].typst_code


# --- rendered: Himmelblau given only in [descent] ------------------------------------------------


@pytest.fixture(scope="module")
def followed():
    return run_scene(GradientField, {"descent": HIMMELBLAU}, language="zh", probe=texts_on_stage)


def texts_on_stage(scene):
    return {"texts": [m.original_text for m in scene.get_mobject_family_members() if hasattr(m, "original_text")]}


def test_step_five_draws_the_descent_landscape_with_the_divides_through_its_saddles(followed):
    check_storyboard(followed, SECTIONS)
    p = followed.params
    box = (p.second_x_range, p.second_y_range)
    assert p.raw["second_formula"] == HIMMELBLAU["formula"] and tuple(box[0]) == (-5, 5)
    saddles = [c for c in gradcore.critical_points(p.second_formula, box) if c.kind == "saddle"]
    minima, ends = flow_ends(p.second_formula, box, p.flow_lines)
    assert len(saddles) == 4 and len(minima) == 4 and len(set(ends) - {None}) > 1
    divides = gradcore.paths.divides(p.second_formula, saddles, minima, box)
    assert len(divides) == 4  # each of Himmelblau's saddles parts two of its valleys
    said = lines(followed)
    assert "Dashed: the divides between valleys. A saddle ✕ on one: ∇f = 0" in said["many valleys"].en
    assert "分水线上的鞍点" in said["many valleys"].zh and "分水岭" not in said["many valleys"].zh
    shown = {text for shot in followed.snapshots if shot["section"] == "many valleys" for text in shot["texts"]}
    assert "分水线：两侧流进不同山谷" in shown and "鞍点（∇f = 0）" in shown


def test_tied_lowest_minima_are_each_keyed_global(followed):
    minima = gradcore.find_minima(followed.params.second_formula, ((-5, 5), (-5, 5)))
    assert np.ptp([m.value for m in minima]) < 1e-9 and len(gradcore.paths.lowest_minima(minima)) == 4
    shown = {text for shot in followed.snapshots if shot["section"] == "many valleys" for text in shot["texts"]}
    assert "全局极小值（一样低）" in shown and "局部极小值" not in shown  # the lecture's pair: 全局 / 局部极小值


def test_the_bowl_of_the_defaults_keeps_its_words(followed):
    said = lines(followed)
    assert said["the bowl"].en.startswith("The surface z = f(x, y) is a bowl.")
    assert "longer toward the rim" in said["flatten"].en
    assert "all run into the minimum" in said["downhill"].en


def test_saddles_that_part_no_two_valleys_are_not_said_to_sit_on_a_divide():
    from types import SimpleNamespace

    from scenes.gradient_field import NARRATION, _valleys_key

    # two valleys reached, a saddle on the map, but no divide through it (its sides drain into one valley or off the map)
    chart = SimpleNamespace(minima=[1, 2], saddles=[object()], divides=[], missed=0, reached=2)
    key = _valleys_key(chart)
    assert key == "many valleys, no saddle"
    assert "divide" not in NARRATION[key][1] and "分水线" not in NARRATION[key][0]
    assert _valleys_key(SimpleNamespace(**{**vars(chart), "divides": [object()]})) == "many valleys"


def test_a_saddle_whose_two_sides_drain_off_the_map_is_no_divide():
    f = gradcore.parse("x^2 - y^2 + 0.1*y^4", variables=("x", "y"))  # valleys at y = ±√5, off the map
    box = ((-1, 1), (-1, 1))
    saddles = [c for c in gradcore.critical_points(f, box) if c.kind == "saddle"]
    assert len(saddles) == 1 and gradcore.paths.divides(f, saddles, gradcore.find_minima(f, box), box) == []
