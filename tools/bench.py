"""Benchmark: gradcore timings, then each scene's render factor at 1080p60.

Prints figures; it is not a pass/fail test.

    make bench                  # gradcore + every scene at 1080p60
    make bench ARGS=--core      # gradcore only
    make bench ARGS="--quality l TangentArrow"
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

import gradcore


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_core() -> None:
    bowl = gradcore.parse("x^2 + y^2")
    valleys = gradcore.landscapes.VALLEYS
    plain = valleys.function

    def lambda_valleys(x, y):
        return plain(x, y)

    print("gradcore (best of 3)")
    rows = [
        (
            "gradient_field 1000×1000, parsed (exact)",
            lambda: gradcore.gradient_field(plain, valleys.x_range, valleys.y_range, density=1000),
        ),
        (
            "gradient_field 1000×1000, plain callable",
            lambda: gradcore.gradient_field(lambda_valleys, valleys.x_range, valleys.y_range, density=1000),
        ),
    ]
    starts = np.random.default_rng(0).uniform(-2, 2, size=(1000, 2))
    rows += [
        (
            "descend 1,000 starts × 1,000 steps, bowl",
            lambda: gradcore.descend(bowl, starts, lr=0.001, steps=1000, tol=0),
        ),
        (
            "descend 1,000 starts × 1,000 steps, valleys",
            lambda: gradcore.descend(plain, starts, lr=0.01, steps=1000, tol=0),
        ),
    ]
    for name, run in rows:
        print(f"  {name:<50} {best_of(3, run):8.3f} s")


def bench_scenes(names: list[str], quality: str) -> None:
    from scenes.__main__ import _prepare_jobs
    from scenes.render import RenderOptions, render_lecture

    jobs = _prepare_jobs(names)
    print(f"\nscenes at quality {quality} (one at a time, no cache)")
    print(f"  {'scene':<24} {'wall s':>8} {'clip s':>8} {'factor':>7}")
    with tempfile.TemporaryDirectory() as out:
        options = RenderOptions(quality=quality, jobs=1, force=True, out=Path(out))
        for job in jobs:
            outcome = render_lecture([job], options)[0]
            if outcome.status != "rendered":
                print(f"  {job.entry.scene:<24} failed: {outcome.error}")
                continue
            clip = outcome.clip["duration"]
            print(f"  {job.entry.scene:<24} {outcome.seconds:8.1f} {clip:8.1f} {outcome.seconds / clip:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="*", help="scene names (default: all)")
    parser.add_argument("--quality", default="h", choices=("l", "m", "h", "k"))
    parser.add_argument("--core", action="store_true", help="gradcore timings only")
    args = parser.parse_args()
    bench_core()
    if not args.core:
        bench_scenes(args.scenes, args.quality)


if __name__ == "__main__":
    main()
