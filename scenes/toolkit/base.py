"""The base of every lecture scene: config, theme, text helpers, steps with narration.

A scene subclasses :class:`LectureScene` (or :class:`LectureThreeDScene`),
names its ``config_table`` and declares its ``parameters``; in ``construct``
each teaching step starts with :meth:`LectureMixin.step`, which opens a named
section, shows the narration as an on-screen caption (when captions are on) and
writes it as a subtitle whose timing spans the step's animations.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, ClassVar

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    BackgroundRectangle,
    FadeIn,
    FadeOut,
    ManimColor,
    Mobject,
    Scene,
    ThreeDScene,
    ValueTracker,
    VGroup,
    config,
)

from scenes.toolkit import text as tx
from scenes.toolkit.config import ConfigError, LectureSettings, Param, SceneParams
from scenes.toolkit.drawing import LectureCamera
from scenes.toolkit.loader import from_environment, load_scene_config  # load_scene_config re-exported
from scenes.toolkit.numbers import FastNumber
from scenes.toolkit.plotting import fit_width
from scenes.toolkit.stills import StillsCamera
from scenes.toolkit.theme import PALETTES, Palette

__all__ = ["LectureMixin", "LectureScene", "LectureThreeDScene", "MovingOnTop", "Narration", "load_scene_config"]

CAPTION_TOP = -3.05  # content should stay above this y (frame spans −4 … 4)
CAPTION_BOTTOM = -3.885  # the caption's last line sits on this y: its box stays inside the frame's edge
CAPTION_GAP = 0.06  # between the two lines of a caption (one Text with a line break lets them touch)
CAPTION_WIDTH = 13.4


@dataclass(frozen=True)
class Narration:
    """One teaching step: its section name and its line in both languages."""

    section: str
    zh: str
    en: str
    start: float
    end: float | None = None

    def line(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    @property
    def reading_time(self) -> float:
        """Seconds a viewer needs for the line: 2.5 English words or four Chinese characters a second.

        Slower than reading speed: the viewer reads while watching the picture the line is about.

        Examples
        --------
        >>> round(Narration("s", zh="梯度指向上坡。", en="The gradient points uphill.", start=0.0).reading_time, 2)
        1.6
        """
        hanzi = sum("\u4e00" <= c <= "\u9fff" for c in self.zh)
        return max(len(self.en.split()) / 2.5, hanzi / 4.0)


class LectureMixin:
    """What every lecture scene shares; mixed into Manim's Scene or ThreeDScene."""

    config_table: ClassVar[str] = ""
    parameters: ClassVar[dict[str, Param]] = {}

    settings: LectureSettings
    params: SceneParams
    palette: Palette
    narration: list[Narration]

    @classmethod
    def check_params(cls, params: SceneParams) -> str | None:
        """Rules across keys that :class:`Param` cannot state; return a message like ``"key 'x': …"`` or None."""
        return None

    def setup(self) -> None:
        # The entry point of a `manim render` child: its settings come through the environment.
        try:
            self.settings, self.params = load_scene_config(type(self), *from_environment())
        except ConfigError as error:
            print(f"error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        self.palette = PALETTES[self.settings.theme]
        self.camera.background_color = ManimColor(self.palette.background)
        self.camera.init_background()  # the camera caches its background when it is made
        self.narration = []
        self._caption: Mobject | None = None
        super().setup()

    # --- language and text ---------------------------------------------------
    @property
    def language(self) -> str:
        return self.settings.language

    def say(self, zh: str, en: str) -> str:
        """Pick the string for the lecture's language."""
        return zh if self.language == "zh" else en

    def text(self, content: str, *, color: str | None = None, size: float = tx.SIZE.LABEL, **kw: Any):
        return tx.text(content, color=color or self.palette.text, size=size, **kw)

    def math(self, markup: str, *, color: str | None = None, size: float = tx.SIZE.BODY):
        return tx.math(markup, color=color or self.palette.text, size=size)

    def mixed(self, markup: str, *, color: str | None = None, size: float = tx.SIZE.LABEL):
        return tx.mixed(markup, color=color or self.palette.text, size=size)

    def number(
        self,
        value: float,
        *,
        color: str | None = None,
        decimals: int = 2,
        size: float = tx.SIZE.BODY,
        sign: bool = False,
    ):
        return tx.number(
            value, color=color or self.palette.text, decimals=decimals, size=size, sign=sign, kind=FastNumber
        )

    # --- steps, sections, narration -----------------------------------------
    def step(self, section: str, *, zh: str, en: str) -> None:
        """Start a teaching step: a named section, its caption and its subtitle.

        The step before is held, if need be, until its line has had time to be read.
        """
        self._hold_for_reading()
        self._close_step()
        self.next_section(section)
        self.narration.append(Narration(section, zh, en, start=self.time))
        if self.settings.captions:
            self._show_caption(self.say(zh, en))

    def _hold_for_reading(self) -> None:
        """Wait, if need be, until the open step's line has been on screen for its reading time."""
        current = self.narration[-1] if self.narration and self.narration[-1].end is None else None
        while current is not None and (unread := current.reading_time - (self.time - current.start)) > 1e-6:
            self.wait(max(unread, 1 / config.frame_rate))  # a wait may come out a frame short: look again

    def _close_step(self) -> None:
        if not self.narration or self.narration[-1].end is not None:
            return
        current = self.narration[-1]
        elapsed = self.time - current.start
        self.narration[-1] = Narration(current.section, current.zh, current.en, current.start, self.time)
        if elapsed > 0:
            self.add_subcaption(current.line(self.language), duration=elapsed, offset=-elapsed)

    def _show_caption(self, line: str) -> None:
        if self._caption is not None:
            self.remove(self._caption)
        lines = [self.text(part, size=tx.SIZE.CAPTION) for part in tx.wrap(line, self.language).split("\n")]
        words = VGroup(*lines).arrange(DOWN, buff=CAPTION_GAP)
        if words.width > CAPTION_WIDTH:  # a safety net: wrap() keeps ordinary lines narrower
            words.scale_to_fit_width(CAPTION_WIDTH)
        words.move_to([0, CAPTION_BOTTOM, 0], aligned_edge=DOWN)  # grows upwards; two lines stay below CAPTION_TOP
        box = BackgroundRectangle(words, color=self.palette.caption_box, fill_opacity=0.72, buff=CAPTION_GAP)
        self._caption = VGroup(box, words)
        self.pin(self._caption)

    def pin(self, *mobjects: Mobject) -> None:
        """Add mobjects that stay fixed on screen (in 3D scenes too), in front of everything."""
        self.add(*mobjects)

    def clear_stage(self, run_time: float = 0.8) -> None:
        """Fade out everything but the caption, its live pieces frozen first (e.g. before a summary card)."""
        stage = [m for m in self.mobjects if m is not self._caption]
        for mobject in stage:
            for part in mobject.get_family():
                part.clear_updaters()  # an updater running during the fade would undo it
        self.play(*(FadeOut(m) for m in stage), run_time=run_time)

    def show_summary(self, *lines: Mobject, line_pause: float = 0.7, hold: float = 2.5) -> VGroup:
        """The closing card: "Summary" and one line per idea, faded in one at a time.

        Call it on a clear stage (see :meth:`clear_stage`). The card is kept in
        ``self.summary_card`` as ``VGroup(title, VGroup(*lines))``.
        """
        title = self.text(self.say("小结", "Summary"), size=tx.SIZE.TITLE, color=self.palette.highlight)
        body = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        card = fit_width(VGroup(title, body).arrange(DOWN, buff=0.5).move_to([0, 0.45, 0]), 13.0)
        self._hold_in_frame(card)
        self.summary_card = card
        self.play(FadeIn(title, shift=0.2 * DOWN), run_time=0.6)
        for line in body:
            self.play(FadeIn(line, shift=0.2 * RIGHT), run_time=0.7)
            self.wait(line_pause)
        self.wait(hold)
        return card

    def _hold_in_frame(self, mobject: Mobject) -> None:
        """Keep ``mobject`` fixed on screen once it is shown (nothing to do in 2D)."""

    def tear_down(self) -> None:
        self._hold_for_reading()  # the last step too
        self._close_step()
        super().tear_down()


class LectureScene(LectureMixin, Scene):
    """A 2D lecture scene."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", LectureCamera)  # Manim's, handing paths to Cairo faster
        super().__init__(*args, **kwargs)


class LectureThreeDScene(LectureMixin, ThreeDScene):
    """A 3D lecture scene; captions and :meth:`pin`-ned mobjects stay fixed in the frame."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", StillsCamera)  # draws the frame-sized pictures of stills.py
        super().__init__(*args, **kwargs)

    def pin(self, *mobjects: Mobject) -> None:
        self.add_fixed_in_frame_mobjects(*mobjects)

    def _hold_in_frame(self, mobject: Mobject) -> None:
        self.renderer.camera.add_fixed_in_frame_mobjects(mobject)  # fixed, but on stage only once faded in

    def _show_caption(self, line: str) -> None:
        if self._caption is not None:
            self.remove_fixed_in_frame_mobjects(self._caption)
            self.remove(self._caption)
        super()._show_caption(line)

    def play(self, *animations: Any, **kwargs: Any) -> None:
        """Play, with the camera's trackers in the scene only while an animation moves them.

        A camera move adds the camera's value trackers to the scene, and they stay.
        Manim's 3D scene redraws every mobject in every frame of an animation whose
        moving mobjects include one of them, so from then on a fade after them in the
        scene's list (where ``MovingOnTop`` puts trackers) redrew the whole scene.
        A tracker the animation moves is added back by ``play`` itself.
        """
        camera = self.renderer.camera
        self.remove(*(t for t in [*camera.get_value_trackers(), camera._frame_center] if t in self.mobjects))
        super().play(*animations, **kwargs)


class MovingOnTop:
    """Mix in before a lecture scene class: every ``play`` first brings what changes to the front.

    Cairo redraws, every frame, all mobjects from the first changing one in the scene's list
    onwards; with the animated, updated and tracker mobjects kept last, everything static is
    drawn once per animation. It changes the drawing order (what changes is drawn over what
    does not), so a scene opts in: ``class MyScene(MovingOnTop, LectureThreeDScene)``.
    """

    def play(self, *animations: Any, **kwargs: Any) -> None:
        animated = [getattr(animation, "mobject", None) for animation in animations]
        self.bring_to_front(
            *(
                m
                for m in self.mobjects
                if m.get_family_updaters() or isinstance(m, ValueTracker) or any(m is a for a in animated)
            )
        )
        super().play(*animations, **kwargs)
