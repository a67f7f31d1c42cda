"""Parsed glyphs kept on disk and glyphs without their parsed path: faster, and not one point different."""

import numpy as np
import pytest
import svgelements
from manim import MathTypst, SVGMobject, Text, Typst
from manim.mobject.svg import svg_mobject

from scenes.toolkit.glyphs import ENV_GLYPHS, glyph_folder


def build() -> list:
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # Manim's in-memory cache would hide the disk
    return [
        Text("The slope at x₀ tells which way f grows", font_size=30),
        MathTypst(r"f'(x_0) = lim_(h -> 0) (f(x_0 + h) - f(x_0)) / h"),
        MathTypst(r"{{ a }} + {{ b^2 }} = frac(1, 2)", color="#ff8800"),
        Typst(r"梯度 *bold* $x$ #rect(width: 1cm, height: 2pt)"),
    ]


def state(mobject) -> tuple:
    """Everything a parse decides: every part's class, points and colours, and the groups Typst keeps."""
    parts = [
        (
            type(m).__name__,
            m.points.round(12).tobytes(),
            m.fill_rgbas.tobytes(),
            m.stroke_rgbas.tobytes(),
            m.stroke_width,
        )
        for m in mobject.get_family()
    ]
    kept = {
        name: len(getattr(mobject, name))
        for name in ("id_to_vgroup_dict", "_stroke_width_tracked_submobjects", "_baseline_tracked_submobjects")
        if hasattr(mobject, name)
    }
    return parts, kept, round(mobject.width, 12), round(mobject.height, 12)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_GLYPHS, str(tmp_path / "glyphs"))
    return tmp_path / "glyphs"


def test_a_loaded_glyph_is_the_parsed_one_and_nothing_is_parsed_again(folder, monkeypatch):
    parsed = [state(m) for m in build()]
    assert glyph_folder() == folder and len(list(folder.glob("*.pickle"))) == 4

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed an SVG although its glyphs are kept")

    monkeypatch.setattr(svgelements.SVG, "parse", no_parsing)
    loaded = [state(m) for m in build()]
    assert loaded == parsed
    assert len(parsed[2][1]) == 3 and parsed[2][1]["id_to_vgroup_dict"] > 1  # Typst's groups came back too


def test_a_setting_the_parse_reads_keeps_parses_apart(folder, tmp_path):
    svg = tmp_path / "square.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0 L1 0 L1 1 Z"/></svg>')
    defaults = {
        "color": None,
        "opacity": None,
        "fill_opacity": 1,
        "stroke_width": 0,
        "stroke_color": None,
        "stroke_opacity": None,
    }

    def fill(colour: str) -> str:
        square = SVGMobject(svg, svg_default={**defaults, "fill_color": colour}, use_svg_cache=False)
        return square[0].get_fill_color().to_hex()

    assert (fill("#FF0000"), fill("#0000FF"), fill("#FF0000")) == ("#FF0000", "#0000FF", "#FF0000")
    assert len(list(folder.glob("*.pickle"))) == 2  # the third was loaded


def test_an_unreadable_file_is_parsed_again_and_rewritten(folder):
    build()
    for file in folder.glob("*.pickle"):
        file.write_bytes(b"\x80\x05 cut short")
    again = [state(m) for m in build()]
    assert again == [state(m) for m in build()]  # the rewritten files load
    assert all(file.stat().st_size > 1000 for file in folder.glob("*.pickle"))
    assert not list(folder.glob(".*"))  # no temporary file is left behind


def test_glyphs_keep_no_parsed_path_so_copies_are_cheap(folder):
    text = Text("abc")
    assert not any(hasattr(m, "path_obj") for m in text.copy().get_family())
    assert np.array_equal(text.copy()[0].points, text[0].points)
