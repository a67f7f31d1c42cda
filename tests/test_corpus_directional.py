"""A corpus of lecturers' edits to [directional]: each is refused before rendering, naming the key and a
value that works, or it renders (dry run) and its narration and notes are checked against gradcore.

Refusals go through the loader only (fast). Two dry runs are shared by the assertions about them: two
valleys of unequal depth with p₀ in the shallower one (the slide to the lowest point crosses a rise), and
an upside-down bowl, whose only flat point is a maximum.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import gradcore
from scenes.directional import DirectionalDerivative
from scenes.toolkit.config import ConfigError
from scenes.toolkit.loader import load_scene_config
from scenes.toolkit.testing import check_storyboard, run_scene, toml_text

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"
SECTIONS = ["surface and map", "every direction", "slope along u", "the dot product", "the cosine"]
SECTIONS += ["at the bottom", "summary"]


def load(table: dict, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(toml_text({"directional": table}), encoding="utf-8")
    return load_scene_config(DirectionalDerivative, path=path)[1]


REFUSED = [  # (lecturer's edit, the key the message must name, words it must hold)
    pytest.param({"formula": "3"}, "formula", "constant", id="constant"),
    pytest.param({"formula": "x + y"}, "formula", "e.g. x^2 + 3*y^2", id="plane"),
    pytest.param({"square": [0.5, 2], "point": [1, 1]}, "square", "try square = [-0.25, 2.75]", id="minimum-outside"),
    pytest.param({"point": [0, 0]}, "point", "try point = [", id="at-the-minimum"),
    pytest.param({"formula": HIMMELBLAU, "square": [-5, 5], "point": [3, 2]}, "point", "try point", id="tied-minimum"),
    pytest.param({"point": [3, 0]}, "point", "outside", id="off-the-square"),
    pytest.param({"formula": "log(x) + y^2"}, "formula", "square = [0.1, 2]", id="log-domain"),
    pytest.param({"formula": "sqrt(x*y)"}, "formula", "undefined gradient", id="sqrt-domain"),
    pytest.param({"formula": "1/(x-0.3) + y^2"}, "formula", "±1e12", id="pole"),
    pytest.param({"formula": "exp(x^10) + y^2"}, "formula", "finite", id="overflow"),
    pytest.param({"formula": "abs(x) + abs(y)"}, "formula", "kink", id="kink"),
    pytest.param({"formula": "1e-6*(x^2 + 3*y^2)"}, "point", "|∇f(p₀)| = 3.61e-06", id="too-gentle"),
    pytest.param({"formula": "1e6*(x^2 + y^2)"}, "point", "999", id="too-steep"),
    pytest.param({"square": [-1e6, 1e6]}, "square", "±10000", id="huge-square"),
    pytest.param({"square": [1, 1.0000000000000002], "point": [1, 1]}, "square", "0.001 wide", id="tiny-square"),
    pytest.param({"turn_speed": 1e-300}, "turn_speed", "≥ 15", id="endless-turn"),
    pytest.param({"formula": "x^2 + 3*y^2 + z"}, "formula", "column 15", id="unknown-name"),
    pytest.param({"formula": "x^^2"}, "formula", "column 3", id="typo"),
    pytest.param({"point": [1]}, "point", "try point = [1.0, 0.5]", id="short-point"),
    pytest.param({"point": [1.7, 1.9]}, "point", "0.1 from the edge of the square, but u (length 1)", id="corner"),
    pytest.param({"square": [-50, 50], "point": [40, -30]}, "point", "u (length 25)", id="wide-square-edge"),
]


@pytest.mark.parametrize(("table", "key", "words"), REFUSED)
def test_an_edit_that_cannot_teach_is_refused_with_its_key_and_a_way_out(table, key, words, tmp_path):
    with pytest.raises(ConfigError) as refused:
        load(table, tmp_path)
    message = str(refused.value)
    assert "table [directional]" in message and f"'{key}'" in message and words in message, message


def test_every_suggested_value_is_accepted(tmp_path):
    """A refusal's "try …" is a value that works: put it in and the config loads."""
    corners = ({"point": [1.7, 1.9]}, {"square": [-50, 50], "point": [40, -30]}, {"point": [-1.9, 0.01]})
    for table in ({"point": [0, 0]}, {"square": [0.5, 2], "point": [1, 1]}, *corners):
        with pytest.raises(ConfigError) as refused:
            load(table, tmp_path)
        key, value = re.search(r"try (\w+) = (\[[^\]]*\])", str(refused.value)).groups()
        assert load({**table, key: eval(value)}, tmp_path) is not None  # a list of numbers


ACCEPTED = [  # extreme but legal: each loads
    {"formula": HIMMELBLAU, "square": [-5, 5], "point": [1, 1]},
    {"square": [-50, 50], "point": [25, -25]},  # u is 25 long here: p₀ as far out as it turns on the map
    {"formula": "x^3 - 3*x + y^2", "point": [-1, 0.5]},
    {"turn_speed": 180},
]


@pytest.mark.parametrize("table", ACCEPTED, ids=["himmelblau", "wide-square", "min-and-saddle", "fast-turn"])
def test_legal_extremes_load(table, tmp_path):
    params = load(table, tmp_path)
    flat = gradcore.flat_point(params.formula, (params.square, params.square))
    assert flat.kind == "minimum"  # the lowest minimum, not the saddle of x^3 - 3x


# --- rendered: p₀ in the shallower of two valleys -------------------------------------------------

TWO_VALLEYS = {"formula": "x^4 - 2*x^2 + y^2 + 0.3*x", "point": [0.9, 0.5]}


def texts_on_stage(scene):
    return {"texts": [m.original_text for m in scene.get_mobject_family_members() if hasattr(m, "original_text")]}


@pytest.fixture(scope="module")
def two_valleys():
    return run_scene(DirectionalDerivative, {"directional": TWO_VALLEYS}, language="en", probe=texts_on_stage)


def said(scene):
    return {line.section: line for line in scene.narration}


def test_the_slide_over_a_rise_is_not_said_to_shrink_the_gradient(two_valleys):
    check_storyboard(two_valleys, SECTIONS)
    f, p0 = two_valleys.params.formula, np.array(TWO_VALLEYS["point"])
    target = gradcore.flat_point(f, [(-2, 2), (-2, 2)])
    assert target.kind == "minimum" and target.point[0] < -1  # the deeper valley, on the other side
    norms = np.linalg.norm(gradcore.gradient(f, np.linspace(p0, target.point, 200)), axis=-1)
    assert norms.max() > 1.5 * norms[0]  # |∇f| grows on the way
    line = said(two_valleys)["at the bottom"].en
    assert "rises and falls on the way" in line and "shrinks" not in line


def test_the_quarter_notes_state_the_length_of_the_gradient_at_p0(two_valleys):
    g = np.linalg.norm(gradcore.gradient(two_valleys.params.formula, TWO_VALLEYS["point"]))
    shown = {t for shot in two_valleys.snapshots if shot["section"] == "the cosine" for t in shot["texts"]}
    assert f"θ = 0°: u along ∇f, largest slope |∇f| = {g:.2f}" in shown
    assert f"θ = 180°: u along −∇f, lowest slope −{g:.2f}" in shown


# --- rendered: the only flat point is a maximum -----------------------------------------------------


@pytest.fixture(scope="module")
def dome():
    return run_scene(DirectionalDerivative, {"directional": {"formula": "4 - x^2 - y^2"}}, language="zh")


def test_a_maximum_is_named_a_maximum_not_the_bottom(dome):
    check_storyboard(dome, SECTIONS)
    assert gradcore.flat_point(dome.params.formula, [(-2, 2), (-2, 2)]).kind == "maximum"
    line = said(dome)["at the bottom"]
    assert "极大值点" in line.zh and "谷底" not in line.zh
    assert "here a maximum" in line.en and "bottom" not in line.en


# --- rendered: p₀ as near the corner as u allows -------------------------------------------------

CORNER = {"formula": "x^2 + x*y + 2*y^2 - x", "square": [-2.5, 2.5], "point": [1.5, 1.5]}  # 1 from two edges


def name_boxes(scene):
    """The screen boxes of u's and ∇f's names while they are on the stage (and not faded out)."""
    if not hasattr(scene, "cast"):
        return {}
    family = set(scene.get_mobject_family_members())
    shown = {
        key: (m.get_corner(np.array([-1, -1, 0]))[:2], m.get_corner(np.array([1, 1, 0]))[:2])
        for key, m in (("u", scene.cast.u_name), ("nabla", scene.cast.nabla_name))
        if m in family and max(part.get_fill_opacity() for part in m.family_members_with_points()) > 0.5
    }
    return {"names": shown}


@pytest.fixture(scope="module")
def corner():
    return run_scene(DirectionalDerivative, {"directional": CORNER}, language="en", probe=name_boxes)


def test_near_the_corner_the_names_of_u_and_the_gradient_stay_on_the_map(corner):
    check_storyboard(corner, SECTIONS)  # and the layout gate: no name on the title or another label
    left, right, bottom, top = corner.view.screen_box
    seen = {"u": 0, "nabla": 0}
    for shot in corner.snapshots:
        for key, (low, high) in shot.get("names", {}).items():
            seen[key] += 1
            assert left - 1e-6 <= low[0] and high[0] <= right + 1e-6, (shot["section"], key, low, high)
            assert bottom - 1e-6 <= low[1] and high[1] <= top + 1e-6, (shot["section"], key, low, high)
    assert seen["u"] > 10 and seen["nabla"] > 5  # both were checked, in several steps
