"""Level curves f(x, y) = c of a two-variable landscape, as polylines (marching squares in NumPy)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gradcore.typing import FloatArray, Landscape, Points

__all__ = ["level_curves", "level_curves_of_grid"]


def level_curves(
    f: Landscape, bounds: Sequence[tuple[float, float]], level: float, samples: int = 90
) -> list[FloatArray]:
    """Polylines along which ``f(x, y) = level`` inside the box ``bounds``.

    ``f`` is sampled on a ``(samples + 1)²`` grid; see :func:`level_curves_of_grid`.
    Non-finite samples leave gaps instead of wrong lines.

    Examples
    --------
    >>> [ring] = level_curves(lambda x, y: x**2 + y**2, ((-2, 2), (-2, 2)), 1.0, samples=40)
    >>> bool(np.allclose(np.hypot(*ring.T), 1.0, atol=0.01)), bool(np.allclose(ring[0], ring[-1]))
    (True, True)
    """
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, samples + 1), np.linspace(y0, y1, samples + 1)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(*np.meshgrid(xs, ys)), dtype=float), (len(ys), len(xs)))
    return level_curves_of_grid(values, xs, ys, level)


def level_curves_of_grid(values: Points, xs: Points, ys: Points, level: float) -> list[FloatArray]:
    """Polylines where sampled ``values`` (``values[j, i]`` at ``(xs[i], ys[j])``) equal ``level``.

    Marching squares: a crossing on every grid edge whose ends lie on both
    sides of ``level`` (linear interpolation), two crossings per cut cell
    joined by a segment (a saddle cell, cut four times, is resolved by the
    mean of its corners), and segments chained into polylines (closed rings
    end where they began; open ones at the map's border).

    Returns
    -------
    list of ndarray
        Each of shape ``(k, 2)``.

    Examples
    --------
    >>> xs = ys = np.linspace(-1, 1, 41)
    >>> X, Y = np.meshgrid(xs, ys)
    >>> [ring] = level_curves_of_grid(X**2 + Y**2, xs, ys, 0.25)
    >>> bool(np.allclose(np.hypot(*ring.T), 0.5, atol=2e-3)), bool(np.allclose(ring[0], ring[-1]))
    (True, True)
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    z = np.asarray(values, dtype=float) - level
    above = z >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        th = z[:, :-1] / (z[:, :-1] - z[:, 1:])  # where the edge from (i, j) to (i + 1, j) crosses
        tv = z[:-1, :] / (z[:-1, :] - z[1:, :])  # where the edge from (i, j) to (i, j + 1) crosses
    cut_h = above[:, :-1] != above[:, 1:]
    cut_v = above[:-1, :] != above[1:, :]
    hx = xs[:-1][None, :] + th * np.diff(xs)[None, :]
    vy = ys[:-1][:, None] + tv * np.diff(ys)[:, None]
    # Edges of cell (j, i) as ids: bottom, right, top, left; crossing points looked up by id.
    ny, nx = len(ys) - 1, len(xs) - 1
    j, i = np.mgrid[0:ny, 0:nx]
    n_h = (ny + 1) * nx
    edge_ids = np.stack([j * nx + i, n_h + j * (nx + 1) + i + 1, (j + 1) * nx + i, n_h + j * (nx + 1) + i], axis=-1)
    cut = np.stack([cut_h[:-1, :], cut_v[:, 1:], cut_h[1:, :], cut_v[:, :-1]], axis=-1)
    points = np.concatenate(
        [
            np.stack([hx, np.broadcast_to(ys[:, None], hx.shape)], axis=-1).reshape(-1, 2),
            np.stack([np.broadcast_to(xs[None, :], vy.shape), vy], axis=-1).reshape(-1, 2),
        ]
    )
    count = cut.sum(axis=-1)
    pairs = []
    two = count == 2
    first = np.argmax(cut, axis=-1)
    last = 3 - np.argmax(cut[..., ::-1], axis=-1)
    ids = edge_ids.reshape(-1, 4)
    flat = np.arange(ny * nx)
    pairs.append(np.stack([ids[flat, first.ravel()], ids[flat, last.ravel()]], axis=1)[two.ravel()])
    four = (count == 4).ravel()
    if four.any():
        corner_sum = (z[:-1, :-1] + z[:-1, 1:] + z[1:, :-1] + z[1:, 1:]).ravel()[four]
        joined = (corner_sum >= 0) == above[:-1, :-1].ravel()[four]  # the bottom-left corner reaches the centre
        e = ids[four]
        a = e[:, [0, 2]]  # bottom and top pair with right and left (two corners cut off) or left and right
        b = np.where(joined[:, None], e[:, [1, 3]], e[:, [3, 1]])
        pairs.append(np.stack([a[:, 0], b[:, 0]], axis=1))
        pairs.append(np.stack([a[:, 1], b[:, 1]], axis=1))
    segments = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=int)
    finite = np.all(np.isfinite(points[segments]), axis=(1, 2))
    return [points[chain] for chain in _chain(segments[finite])]


def _chain(segments: np.ndarray) -> list[list[int]]:
    """Join segments (pairs of edge ids) that share an edge into chains of ids; rings end where they start."""
    neighbours: dict[int, list[int]] = {}
    for a, b in segments.tolist():
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen: set[int] = set()
    chains = []
    ends = [e for e, n in neighbours.items() if len(n) == 1]
    for begin in ends + list(neighbours):
        if begin in seen:
            continue
        chain, current = [begin], begin
        seen.add(begin)
        while True:
            following = [e for e in neighbours[current] if e not in seen]
            if not following:
                if len(chain) > 2 and begin in neighbours[current]:
                    chain.append(begin)  # a closed ring
                break
            current = following[0]
            seen.add(current)
            chain.append(current)
        if len(chain) >= 2:
            chains.append(chain)
    return chains
