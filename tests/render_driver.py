"""``python -m scenes render`` on fake scenes, in a real process: for the renderer's lock, swap and signal tests.

Usage: ``python tests/render_driver.py OUT SCENE... [render options]``. Each
SCENE is a class name rendered as ``NN_SCENE`` (ToyLesson is 01, OtherLesson
02, any other 03) from ``tests/fixtures/toy_lesson.py``'s hash, by
``tests/fixtures/fake_manim.py`` instead of manim (steered by its ``FAKE_MANIM_*``
variables). ``DRIVER_KILL_AFTER_MOVES=N`` makes the driver kill itself with
SIGKILL after the N-th rename of a swap. Exits as the command line does.
"""

import os
import signal
import sys
from pathlib import Path

import scenes.__main__
import scenes.render
from scenes.catalog import Entry
from scenes.render import Job
from scenes.toolkit.config import LectureSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INDEX = {"ToyLesson": 1, "OtherLesson": 2}
SETTINGS = LectureSettings(language="en", path=Path("/nowhere/lecture.toml"))


def fake_jobs(names: list[str], path=None, overrides=None) -> list[Job]:
    """Jobs for fake scenes; their table fingerprint is FAKE_TABLE (so a test can change a scene's inputs)."""
    table = os.environ.get("FAKE_TABLE", "{}")
    return [Job(INDEX.get(name, 3), Entry("toy_lesson", name, "toy", FIXTURES), SETTINGS, table) for name in names]


def fake_command(job: Job, options, work: Path) -> list[str]:
    return [str(FIXTURES / "fake_manim.py"), str(work), job.entry.scene]


def killing_move(after: int):
    moves = []
    real = scenes.render._move

    def move(source: Path, target: Path) -> None:
        real(source, target)
        moves.append(target)
        if len(moves) == after:
            os.kill(os.getpid(), signal.SIGKILL)

    return move


if __name__ == "__main__":
    scenes.__main__._prepare_jobs = fake_jobs
    scenes.render._manim_command = fake_command
    scenes.render.HASHED_SOURCES = ()  # the toy module's hash only, as in the tests: edits elsewhere change nothing
    if os.environ.get("DRIVER_KILL_AFTER_MOVES"):
        scenes.render._move = killing_move(int(os.environ["DRIVER_KILL_AFTER_MOVES"]))
    out, *rest = sys.argv[1:]
    sys.exit(scenes.__main__.main(["render", *rest, "--out", out]))
