"""The benchmark's floor: the cheapest clip that still looks like a lecture clip.

Axes, a curve drawn on them and a dot travelling along it, 10 s in all, on the
lecture's dark background and nothing else: no text to typeset, no updaters, no
3D. ``tools/bench.py`` renders it right before and after each scene, with the
same renderer and quality, so that a scene's render factor can be read against
the floor's measured in the same minute on the same (shared) machine.

Render: manim render -ql tools/floor.py FloorClip
"""

from __future__ import annotations

from manim import Axes, Create, Dot, MoveAlongPath, Scene, linear

BACKGROUND, AXES, CURVE, DOT = "#101418", "#8a94a0", "#58c4dd", "#f0c050"
LENGTH = 10.0  # seconds of video


class FloorClip(Scene):
    """Axes, the curve y = x²/2 − 1, a dot moving along it: 1 + 1.5 + 6.5 + 1 = 10 s."""

    def setup(self) -> None:
        self.camera.background_color = BACKGROUND
        self.camera.init_background()  # the camera caches its background when it is made

    def construct(self) -> None:
        axes = Axes(x_range=[-3, 3, 1], y_range=[-2, 4, 1], x_length=9, y_length=5.5, tips=False)
        axes.set_color(AXES)
        curve = axes.plot(lambda x: x**2 / 2 - 1, x_range=[-2.8, 2.8], color=CURVE)
        dot = Dot(curve.get_start(), color=DOT, radius=0.1)
        self.play(Create(axes), run_time=1.0)
        self.play(Create(curve), run_time=1.5)
        self.add(dot)
        self.play(MoveAlongPath(dot, curve), run_time=6.5, rate_func=linear)
        self.wait(1.0)
