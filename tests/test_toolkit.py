"""The base scene: steps as sections, narration as captions and subtitles, themes, fonts."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from manim import Text, config, tempconfig

from scenes.toolkit.testing import last_frame, run_scene
from scenes.toolkit.text import text as text_line

FIXTURES = Path(__file__).parent / "fixtures"


def load_toy():
    spec = importlib.util.spec_from_file_location("toy_lesson", FIXTURES / "toy_lesson.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ToyLesson


ToyLesson = load_toy()


def subtitles(scene):
    return [(s.content, s.start.total_seconds(), s.end.total_seconds()) for s in scene.renderer.file_writer.subcaptions]


def test_each_step_is_a_named_section():
    scene = run_scene(ToyLesson)
    assert scene.section_names == ["first", "second"]


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("en", ["Step one: a point.", "Step two: a label."]),
        ("zh", ["第一步：一个点。", "第二步：一个标签。"]),
    ],
)
def test_subtitles_follow_the_steps_with_increasing_times(language, lines):
    scene = run_scene(ToyLesson, language=language)
    subs = subtitles(scene)
    assert [content for content, _, _ in subs] == lines
    assert subs[0][1] == pytest.approx(0.0)
    # the first step's 0.6 s animation is held until its line can be read: 4 words at 2.5 a second
    # (the harness skips frames, so times are not rounded to whole frames)
    assert subs[0][2] == pytest.approx(1.6, abs=1e-3)
    assert subs[1][1] == pytest.approx(subs[0][2])
    assert subs[1][2] == pytest.approx(float(scene.time), abs=1e-3)  # the last step ends with the scene


def test_captions_show_the_narration_in_the_chosen_language_and_can_be_turned_off():
    scene = run_scene(ToyLesson, language="zh")
    (caption_text,) = scene._caption[1]  # one Text per caption line
    assert caption_text.original_text == "第二步：一个标签。"
    assert caption_text.font == "Noto Sans CJK SC"
    assert caption_text.get_bottom()[1] > -4 and caption_text.get_top()[1] < -3.0
    quiet = run_scene(ToyLesson, captions=False)
    assert quiet._caption is None
    assert subtitles(quiet)  # subtitles are written either way


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_theme_sets_the_background_of_the_rendered_frame(theme):
    from scenes.toolkit.theme import PALETTES

    corner = last_frame(ToyLesson, theme=theme)[2, 2, :3]
    expected = [int(PALETTES[theme].background[i : i + 2], 16) for i in (1, 3, 5)]
    assert corner.tolist() == expected


def test_theme_sets_the_text_colours():
    light = run_scene(ToyLesson, theme="light")
    label = next(m for m in light.mobjects if isinstance(m, Text) and m.original_text == "gradient")
    assert label.get_color().to_hex().upper() == light.palette.text


def test_config_table_values_reach_the_scene():
    scene = run_scene(ToyLesson, {"toy": {"formula": "x^3 - 3x", "start": -1.5}})
    assert scene.params.formula(2.0) == 2.0
    assert scene.params.start == -1.5


def test_bad_config_stops_before_anything_renders(capsys):
    with pytest.raises(SystemExit) as stop:
        run_scene(ToyLesson, {"toy": {"start": 7}})
    assert stop.value.code == 2
    assert "table [toy], key 'start': 7 lies outside span = [-2, 2]" in capsys.readouterr().err


def test_chinese_text_renders_glyphs_not_empty_boxes():
    frame = last_frame(ToyLesson, language="zh", theme="dark")
    assert frame.shape == (90, 160, 4)
    caption_band = frame[80:90, :, :3].astype(int)  # bottom rows hold the caption
    assert np.ptp(caption_band) > 100


def test_the_cjk_font_is_installed_so_text_never_falls_back():
    import manimpango

    assert "Noto Sans CJK SC" in manimpango.list_fonts()


def test_a_long_line_stays_one_line_at_the_tiny_test_resolution():
    """Pango must not break lines by itself (its box is the output's pixel size)."""
    with tempconfig({"pixel_width": 160, "pixel_height": 90}):
        short = text_line("gradient", color="#FFFFFF")
        long = text_line("the gradient points the steepest way up " * 3, color="#FFFFFF")
        assert (config.pixel_width, config.pixel_height) == (160, 90)  # the output size is left as it was
    assert long.height == pytest.approx(short.height, rel=0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_every_colour_that_draws_text_or_lines_reads_at_4_5_to_1(theme):
    from scenes.toolkit.theme import PALETTES

    palette = PALETTES[theme]
    roles = ["text", "muted", "axes", "curve", "tangent", "gradient", "descent", "direction", "highlight", "good"]
    colours = {role: getattr(palette, role) for role in [*roles, "warn"]}
    colours |= {f"series {k}": c for k, c in enumerate(palette.series)}
    colours |= {f"magnitude {k}": c for k, c in enumerate(palette.magnitude)}
    back = _luminance(palette.background)
    for role, colour in colours.items():
        lighter, darker = sorted((_luminance(colour), back), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (theme, role, colour)


def test_a_still_picture_draws_the_same_frame_as_its_mobject_and_fades_with_its_opacity(tmp_path):
    from manim import BLUE, Square, ThreeDScene

    from scenes.toolkit.stills import FrameImage, StillsCamera, still_image

    class Still(ThreeDScene):
        def construct(self) -> None:
            self.set_camera_orientation(phi=60 * np.pi / 180, theta=-1.0)
            self.square = Square(2.0, fill_color=BLUE, fill_opacity=0.8, stroke_width=0)

    settings = {"pixel_width": 160, "pixel_height": 90, "write_to_movie": False, "save_last_frame": False}
    with tempconfig({**settings, "skip_animations": True, "media_dir": str(tmp_path)}):
        scene = Still(camera_class=StillsCamera)
        scene.render()
        picture = still_image(scene, scene.square)
        assert isinstance(picture, FrameImage) and picture.pixel_array[0, 0, 3] == 0  # see-through around it
        scene.add(scene.square)
        scene.renderer.update_frame(scene)
        drawn = np.array(scene.renderer.get_frame(), dtype=int)
        scene.remove(scene.square)
        scene.add(picture)
        scene.renderer.update_frame(scene)
        assert np.abs(np.array(scene.renderer.get_frame(), dtype=int) - drawn).max() <= 1
        picture.set_opacity(0.0)
        scene.renderer.update_frame(scene)
        empty = np.array(scene.renderer.get_frame(), dtype=int)
        assert (empty == empty[0, 0]).all() and (drawn != empty[0, 0]).any()  # the bare background
        picture.set_opacity(0.5)
        scene.renderer.update_frame(scene)
        half = np.array(scene.renderer.get_frame(), dtype=int)
        assert np.abs(2 * half - drawn - empty).max() <= 2  # halfway between the two


def test_after_a_camera_move_a_fade_in_3d_redraws_only_what_fades():
    from manim import DEGREES, Dot, FadeOut

    from scenes.toolkit import LectureThreeDScene

    class Moved(LectureThreeDScene):
        def construct(self):
            self.step("turn", zh="转", en="turn")
            dots = [Dot([x, 0, 0]) for x in range(-3, 4)]
            self.add(*dots)
            self.move_camera(phi=60 * DEGREES, run_time=0.4)  # its trackers join the scene after the dots
            self.play(FadeOut(dots[-1]), run_time=0.4)

    scene = run_scene(Moved, probe=lambda s: {"moving": len(s.moving_mobjects)})
    # only the fading dot, not the whole scene (the camera's idle trackers after it counted as moving)
    assert scene.snapshots[-1]["moving"] == 1
