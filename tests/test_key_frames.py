"""Key frames: the last frame of every section, compared with stored pictures at 160×90.

A change that moves, recolours, hides or cuts off something on screen shows up
here even when every number is still right. After a deliberate change to a
picture, look at the new frames and store them::

    UPDATE_KEY_FRAMES=1 .venv/bin/python -m pytest tests/test_key_frames.py

The stored PNGs then show up in ``git diff`` for review.
"""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes import catalog
from scenes.toolkit.testing import key_frames

STORED = Path(__file__).parent / "fixtures" / "key_frames"
UPDATE = os.environ.get("UPDATE_KEY_FRAMES") == "1"
MEAN_TOLERANCE = 0.25  # mean |difference| over all pixels and channels, out of 255 (a rerun gives 0)
CHANGED_PIXELS = 0.002  # share of pixels that may differ by more than 48 in a channel (about 29 of 14,400)

CASES = [(entry.scene, "zh", "dark") for entry in catalog.available()] + [("TangentArrow", "en", "light")]


def stored_path(scene: str, language: str, theme: str, index: int, section: str) -> Path:
    return STORED / f"{scene}-{language}-{theme}" / f"{index:02d}_{section.replace(' ', '_')}.png"


@pytest.mark.slow
@pytest.mark.parametrize(("scene", "language", "theme"), CASES, ids=["-".join(case) for case in CASES])
def test_the_last_frame_of_every_section_matches_the_stored_picture(scene, language, theme, tmp_path):
    scene_class = catalog.find(scene).load()
    frames = key_frames(scene_class, language=language, theme=theme)
    assert len(frames) >= 5  # every storyboard has at least five steps
    for index, (section, frame) in enumerate(frames.items(), start=1):
        path = stored_path(scene, language, theme, index, section)
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(frame).save(path)
            continue
        assert path.exists(), f"no stored frame {path.name}; run with UPDATE_KEY_FRAMES=1 after looking at it"
        stored = np.asarray(Image.open(path).convert("RGB"), dtype=int)
        difference = np.abs(frame.astype(int) - stored)
        changed = float((difference.max(axis=-1) > 48).mean())
        if difference.mean() > MEAN_TOLERANCE or changed > CHANGED_PIXELS:
            Image.fromarray(frame).save(tmp_path / path.name)
            pytest.fail(
                f"section '{section}' of {scene} ({language}, {theme}) differs from {path.name}: "
                f"mean difference {difference.mean():.2f}, {changed:.1%} of pixels changed; "
                f"the new frame is {tmp_path / path.name}"
            )
    if not UPDATE:
        assert len(list(stored_path(scene, language, theme, 1, "x").parent.glob("*.png"))) == len(frames)
