"""The benchmark's arithmetic and its order of renders, on fake timings (nothing renders)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
spec = importlib.util.spec_from_file_location("bench", ROOT / "tools" / "bench.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench"] = bench  # dataclasses look their module up there
spec.loader.exec_module(bench)
Timing, SceneRow = bench.Timing, bench.SceneRow


def test_a_factor_is_wall_seconds_per_second_of_video():
    assert Timing(wall=45.0, clip=30.0).factor == pytest.approx(1.5)
    assert Timing(wall=3.0, clip=0.0).factor == float("inf")


def test_a_scenes_factor_is_divided_by_the_mean_of_the_floor_just_before_and_just_after():
    row = SceneRow("S", render=Timing(36.0, 20.0), before=Timing(10.0, 10.0), after=Timing(14.0, 10.0))
    assert row.floor == pytest.approx(1.2)  # (1.0 + 1.4) / 2
    assert row.relative == pytest.approx(1.8 / 1.2)


def test_each_scene_is_paired_with_the_floor_renders_on_either_side():
    floors = [Timing(10, 10), Timing(20, 10), Timing(30, 10)]
    rows = bench.rows_from(floors, [("A", Timing(5, 1)), ("B", Timing(6, 1))])
    assert [(r.scene, r.before.wall, r.after.wall) for r in rows] == [("A", 10, 20), ("B", 20, 30)]
    with pytest.raises(ValueError, match="2 scenes need 3 floor renders, not 2"):
        bench.rows_from(floors[:2], [("A", Timing(5, 1)), ("B", Timing(6, 1))])


def test_the_bench_renders_the_floor_before_the_first_scene_and_after_every_scene(monkeypatch):
    class Entry:
        def __init__(self, scene):
            self.scene = scene

    class Job:
        def __init__(self, scene):
            self.entry = Entry(scene)

    monkeypatch.setattr(bench, "_floor_job", lambda: Job("FloorClip"))
    walls = {"FloorClip": iter([10.0, 12.0, 11.0, 9.0]), "A": iter([30.0]), "B": iter([None]), "C": iter([20.0])}
    order = []

    def render_one(job, options):
        order.append(job.entry.scene)
        wall = next(walls[job.entry.scene])
        return None if wall is None else Timing(wall, 10.0)

    monkeypatch.setattr(bench, "_render_one", render_one)
    rows = bench.bench_scenes([Job("A"), Job("B"), Job("C")], options=None, profile=None)
    assert order == ["FloorClip", "A", "FloorClip", "B", "FloorClip", "C", "FloorClip"]
    assert [(r.scene, r.before.wall, r.after.wall) for r in rows] == [("A", 10.0, 12.0), ("C", 11.0, 9.0)]  # B failed
    assert rows[0].relative == pytest.approx(3.0 / 1.1)


def test_the_tables_mark_what_misses_its_budget():
    rows = [
        SceneRow("Quick", Timing(12.0, 10.0), Timing(10.0, 10.0), Timing(10.0, 10.0)),
        SceneRow("Slow", Timing(28.0, 10.0), Timing(20.0, 10.0), Timing(20.0, 10.0)),
    ]
    table = bench.scene_table(rows).splitlines()
    assert table[1].split()[1:] == ["12.0", "0.0", "10.0", "1.20", "1.00", "1.20", "ok"]
    assert table[2].split()[-4:] == ["2.00", "1.40", "over", "1.3"]
    assert bench.lecture_line(Timing(90.0, 300.0), 2, "l").endswith("= 0.30 of its running time (budget 0.25: over)")
    previews = bench.preview_table([("S", "a step", 9.9, 5.0), ("S", "b step", 10.0, 6.0)]).splitlines()
    assert previews[1].endswith("9.9     5.0") and previews[2].endswith("10.0     6.0  over 10.0")


def test_every_part_of_the_bench_can_be_left_out():
    args = bench._parser().parse_args(["TangentArrow", "--quality", "l", "--no-tests", "--no-lecture"])
    assert (args.scenes, args.quality, args.no_tests, args.no_lecture, args.sections) == (
        ["TangentArrow"],
        "l",
        True,
        True,
        "all",
    )
