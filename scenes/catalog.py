"""The lecture's scenes in the order a student meets them.

Each entry names the module under ``scenes/``, the scene class and its table
in ``lecture.toml``. Only entries whose module exists are part of the lecture.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LECTURE", "Entry", "available", "find", "scene_tables"]

SCENES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Entry:
    """One clip of the lecture."""

    module: str
    scene: str
    table: str
    directory: Path = SCENES_DIR

    @property
    def path(self) -> Path:
        return self.directory / f"{self.module}.py"

    def load(self) -> type:
        """Import the module and return the scene class (imports manim)."""
        if self.directory == SCENES_DIR:
            module = importlib.import_module(f"scenes.{self.module}")
        else:  # a scene outside the package, e.g. a test fixture
            spec = importlib.util.spec_from_file_location(self.module, self.path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        return getattr(module, self.scene)


LECTURE: tuple[Entry, ...] = (
    Entry("tangent", "TangentArrow", "tangent"),
    Entry("directional", "DirectionalDerivative", "directional"),
    Entry("gradient_field", "GradientField", "gradient_field"),
    Entry("descent", "BallDescent", "descent"),
    Entry("parameter_space", "ParameterSpace", "parameter_space"),
    Entry("perceptron", "Perceptron", "perceptron"),
    Entry("optimizers", "Optimizers", "optimizers"),
    Entry("stochastic", "StochasticDescent", "stochastic"),
    Entry("backprop", "Backpropagation", "backprop"),
)


def available() -> list[Entry]:
    """The entries whose module exists, in lecture order."""
    return [entry for entry in LECTURE if entry.path.exists()]


def find(name: str) -> Entry:
    """The entry whose scene class or module is ``name`` (case-insensitive)."""
    for entry in available():
        if name.lower() in (entry.scene.lower(), entry.module.lower()):
            return entry
    names = ", ".join(entry.scene for entry in available())
    raise KeyError(f"no scene named {name!r}; the scenes are: {names}")


def scene_tables() -> dict[str, dict]:
    """Parameter declarations of every available scene, by table name."""
    return {entry.table: entry.load().parameters for entry in available()}
