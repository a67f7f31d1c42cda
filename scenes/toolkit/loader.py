"""The one way settings reach a scene: a config path and overrides in, typed settings out.

:func:`load_scene_config` takes explicit inputs (the config file and the
``[lecture]`` overrides, e.g. ``--lang`` on the command line) and returns a
:class:`~scenes.toolkit.config.LectureSettings` and the scene's checked
:class:`~scenes.toolkit.config.SceneParams`; every problem is a
:class:`~scenes.toolkit.config.ConfigError`.

Environment variables are only the hand-off to a scene that cannot be given
arguments: the renderer writes them into a ``manim render`` child's
environment with :func:`to_environment`, the test harness into its own for an
in-process scene, and a scene's ``setup`` reads them back with
:func:`from_environment`, the only place in the project that reads them.

This module never imports manim.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Protocol

from scenes import catalog
from scenes.toolkit.config import (
    DEFAULT_CONFIG,
    ConfigError,
    LectureSettings,
    Param,
    SceneParams,
    check_override,
    check_tables,
    lecture_settings,
    load_toml,
    resolve_params,
)

__all__ = [
    "ENV_CAPTIONS",
    "ENV_CONFIG",
    "ENV_LANG",
    "ENV_THEME",
    "ConfiguredScene",
    "from_environment",
    "handed_down",
    "load_scene_config",
    "read_config",
    "to_environment",
]

ENV_CONFIG, ENV_LANG, ENV_THEME, ENV_CAPTIONS = "LECTURE_CONFIG", "LECTURE_LANG", "LECTURE_THEME", "LECTURE_CAPTIONS"
_FLAGS = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


class ConfiguredScene(Protocol):
    """What the loader needs of a scene class: its table, its parameters and its cross-key check."""

    config_table: ClassVar[str]
    parameters: ClassVar[dict[str, Param]]

    @classmethod
    def check_params(cls, params: SceneParams) -> str | None: ...


def load_scene_config(
    scene_cls: type[ConfiguredScene], path: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> tuple[LectureSettings, SceneParams]:
    """Read and check the config for one scene: ``[lecture]`` and the scene's own table.

    Parameters
    ----------
    scene_cls
        The scene class: its ``config_table``, ``parameters`` and ``check_params``.
    path
        The config file; ``None`` means ``lecture.toml`` at the project root. A
        missing file means every default.
    overrides
        ``[lecture]`` values that win over the file: ``language``, ``theme``,
        ``captions``. A ``None`` value means "no override".

    Returns
    -------
    tuple of LectureSettings and SceneParams
        The lecture settings (with ``path`` set) and the scene's checked parameters.

    Raises
    ------
    ConfigError
        A file that cannot be read as UTF-8 TOML (see :func:`read_config`), unknown table or key, wrong type, refused formula, point out
        of range, a bad override, or a problem the scene's ``check_params`` reports.

    Examples
    --------
    >>> from scenes.toolkit.config import Param
    >>> class Demo:
    ...     config_table, parameters = "demo", {"lr": Param(0.1, "step size", "positive")}
    ...     check_params = classmethod(lambda cls, params: None)
    >>> settings, params = load_scene_config(Demo, Path("absent.toml"), {"language": "en"})
    >>> settings.language, params.lr
    ('en', 0.1)
    """
    path = DEFAULT_CONFIG if path is None else Path(path)
    table = scene_cls.config_table
    data = read_config(path)
    check_tables(path, data, {"lecture", table, *(entry.table for entry in catalog.LECTURE)})
    settings = lecture_settings(data, path, overrides)
    params = resolve_params(path, table, scene_cls.parameters, data.get(table, {}), data)
    problem = scene_cls.check_params(params)
    if problem:
        raise ConfigError(f"{path.name}, table [{table}], {problem}")
    return settings, params


def read_config(path: Path) -> dict[str, Any]:
    """The parsed config file; a missing file is an empty config, any other problem a one-line :class:`ConfigError`.

    A folder in the file's place, a file that cannot be read, text that is not
    UTF-8 (UTF-16 is named as such; a UTF-8 byte-order mark is accepted),
    broken TOML and lists nested too deeply for the TOML reader each give one
    message naming the file, never a traceback.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> read_config(folder / "absent.toml")
    {}
    >>> read_config(folder)
    Traceback (most recent call last):
    ...
    scenes.toolkit.config.ConfigError: ... is a folder, not a config file: name a .toml file
    """
    return load_toml(path)


def to_environment(settings: LectureSettings) -> dict[str, str]:
    """The variables that hand ``settings`` to a scene in another process (or to the test harness's scene).

    Merge them into a copy of the environment given to the child; the config
    path is made absolute, so the child may run in any folder.

    Examples
    --------
    >>> to_environment(LectureSettings(language="en", path=Path("/tmp/lecture.toml")))
    {'LECTURE_CONFIG': '/tmp/lecture.toml', 'LECTURE_LANG': 'en', 'LECTURE_THEME': 'dark', 'LECTURE_CAPTIONS': '1'}
    """
    return {
        ENV_CONFIG: str(Path(settings.path).resolve()),
        ENV_LANG: settings.language,
        ENV_THEME: settings.theme,
        ENV_CAPTIONS: "1" if settings.captions else "0",
    }


@contextmanager
def handed_down(settings: LectureSettings) -> Iterator[None]:
    """Hand ``settings`` to a scene built in this process, as :func:`to_environment` hands them to a child.

    The variables are set for the duration and restored (or removed) afterwards.

    Examples
    --------
    >>> with handed_down(LectureSettings(language="zh", path=Path("/tmp/x.toml"))):
    ...     os.environ[ENV_LANG]
    'zh'
    """
    variables = to_environment(settings)
    saved = {key: os.environ.get(key) for key in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def from_environment(environ: Mapping[str, str] | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The config path and overrides a parent handed down, as arguments for :func:`load_scene_config`.

    ``LECTURE_CONFIG`` is the config file, ``LECTURE_LANG``, ``LECTURE_THEME``
    and ``LECTURE_CAPTIONS`` (1/0) override ``[lecture]``; unset or empty
    variables are left out. This is the only function that reads them.

    Parameters
    ----------
    environ
        The environment to read; ``None`` means ``os.environ``.

    Raises
    ------
    ConfigError
        A variable holds a value the setting does not take.

    Examples
    --------
    >>> from_environment({"LECTURE_LANG": "en", "LECTURE_CAPTIONS": "0"})
    (None, {'language': 'en', 'captions': False})
    """
    environ = os.environ if environ is None else environ
    overrides: dict[str, Any] = {}
    for key, name in (("language", ENV_LANG), ("theme", ENV_THEME)):
        if environ.get(name):
            overrides[key] = check_override(key, environ[name], f"environment {name}={environ[name]!r}")
    if environ.get(ENV_CAPTIONS):
        flag = environ[ENV_CAPTIONS].lower()
        if flag not in _FLAGS:
            raise ConfigError(f"environment {ENV_CAPTIONS}={flag!r}: expected 1 or 0")
        overrides["captions"] = _FLAGS[flag]
    path = Path(environ[ENV_CONFIG]) if environ.get(ENV_CONFIG) else None
    return path, overrides
