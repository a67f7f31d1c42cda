"""A derivation on screen: a head and lines that each begin with "=", every "=" under the first, shown one by one."""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, LEFT, RIGHT, Animation, FadeIn, Mobject, VGroup

__all__ = ["ladder", "reveal"]


def ladder(head: Mobject, rows: Sequence[Mobject], buff: float = 0.3) -> VGroup:
    """``head`` then ``rows`` (each starting with "="), the rows left-aligned so the "=" signs line up.

    Returns ``VGroup(VGroup(head, rows[0]), *rows[1:])``: one entry per line.

    Examples
    --------
    >>> from manim import Square
    >>> lines = ladder(Square(0.2), [Square(0.4), Square(0.4)])
    >>> len(lines), round(float(lines[1].get_left()[0] - lines[0][1].get_left()[0]), 9)
    (2, 0.0)
    """
    body = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=buff)
    head.next_to(body[0], LEFT, buff=0.15)
    return VGroup(VGroup(head, body[0]), *body[1:])


def reveal(scene, lines: Sequence[Mobject], *, run_time: float = 0.7, pause: float = 0.8, **extra: Sequence[Animation]):
    """Fade ``lines`` in one at a time, each followed by ``pause`` seconds; ``extra["at_2"]`` plays with line 2.

    Examples
    --------
    >>> class Stage:
    ...     def play(self, *animations, run_time):
    ...         print(len(animations), run_time)
    ...     def wait(self, seconds):
    ...         print("wait", seconds)
    >>> from manim import Dot
    >>> reveal(Stage(), [Dot(), Dot()], at_1=[FadeIn(Dot())])
    1 0.7
    wait 0.8
    2 0.7
    wait 0.8
    """
    for k, line in enumerate(lines):
        scene.play(FadeIn(line, shift=0.2 * RIGHT), *extra.get(f"at_{k}", ()), run_time=run_time)
        scene.wait(pause)
