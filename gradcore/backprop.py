"""Backpropagation: a small reverse-mode graph, the tiny network of the lecture, and counting parameters.

A :class:`Node` holds a value and, for each of its inputs, the *local derivative*
∂node/∂input. :func:`backward` walks the graph from an output back to the leaves
and adds, on every edge, ``input.grad += node.grad · local`` — the chain rule,
summed over paths. The tiny network of the clip is one such graph::

    x ─┐                      y ─┐
    w₁ ─┼→ z = w₁x + b₁ → a = σ(z) ─┐ → C = (ŷ − y)²
    b₁ ─┘                 w₂, b₂ ──┴→ ŷ = w₂a + b₂

:func:`tiny_network` builds it at one sample and runs the backward pass;
:func:`cost` is the same network written as plain arithmetic (no graph), for
nudges and central differences. Also: :func:`parameter_count` of a dense network
from its layer sizes, the normal equations of one-input linear regression, and
:func:`row_precision`, the rounding at which the numbers of a row on screen
still agree. This module never imports manim.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from gradcore.typing import FloatArray, Points

__all__ = [
    "ACTIVATIONS",
    "PARAMETERS",
    "Lesson",
    "Network",
    "Node",
    "activation",
    "affine",
    "backward",
    "by_name",
    "central_difference",
    "composite_slope",
    "cost",
    "first_unit",
    "layer_counts",
    "leaf",
    "lesson",
    "normal_equations",
    "parameter_count",
    "regression_precision",
    "round_shown",
    "row_precision",
    "shown_decimals",
    "squared_error",
    "step",
    "tiny_network",
]

ACTIVATIONS = ("sigmoid", "relu")
PARAMETERS = ("w1", "b1", "w2", "b2")  # the order of θ everywhere


@dataclass(eq=False)
class Node:
    """One value of a computation and how it depends on its inputs.

    ``inputs`` holds ``(input node, ∂self/∂input)`` pairs, the local derivatives
    at the values of this forward pass; ``grad`` is ∂output/∂self once
    :func:`backward` has run.
    """

    name: str
    value: float
    inputs: tuple[tuple[Node, float], ...] = ()
    grad: float = 0.0

    def local(self, name: str) -> float:
        """The local derivative ∂self/∂(the input called ``name``)."""
        for node, slope in self.inputs:
            if node.name == name:
                return slope
        raise KeyError(f"{self.name} has no input {name!r}")


def leaf(name: str, value: float) -> Node:
    """A parameter or an input: a node without inputs."""
    return Node(name, float(value))


def affine(name: str, w: Node, x: Node, b: Node) -> Node:
    """``w·x + b``; local derivatives ``x`` (for w), ``w`` (for x) and ``1`` (for b)."""
    return Node(name, w.value * x.value + b.value, ((w, x.value), (x, w.value), (b, 1.0)))


def activation(name: str, z: Node, kind: str) -> Node:
    """``σ(z) = 1/(1 + e^(−z))`` with slope ``σ(1 − σ)``, or ``ReLU(z) = max(0, z)`` with slope 0 or 1.

    ReLU has no slope at ``z = 0``; it is taken as 0 there (callers avoid the kink).
    """
    if kind == "sigmoid":
        s = _sigmoid(z.value)
        return Node(name, s, ((z, s * (1.0 - s)),))
    if kind == "relu":
        return Node(name, max(0.0, z.value), ((z, 1.0 if z.value > 0 else 0.0),))
    raise ValueError(f"unknown activation {kind!r}; use one of {', '.join(ACTIVATIONS)}")


def squared_error(name: str, prediction: Node, target: Node) -> Node:
    """``(ŷ − y)²``; local derivatives ``2(ŷ − y)`` for ŷ and ``−2(ŷ − y)`` for y."""
    gap = prediction.value - target.value
    return Node(name, gap * gap, ((prediction, 2.0 * gap), (target, -2.0 * gap)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))  # no overflow either way


def _order(output: Node) -> list[Node]:
    """Every node ``output`` depends on, each after all of its inputs (a topological order)."""
    seen: set[int] = set()
    order: list[Node] = []

    def visit(node: Node) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        for child, _ in node.inputs:
            visit(child)
        order.append(node)

    visit(output)
    return order


def backward(output: Node) -> dict[str, float]:
    """Reverse mode: set ``grad`` = ∂output/∂node on every node ``output`` depends on; return them by name.

    Examples
    --------
    >>> w, x, b = leaf("w", 3.0), leaf("x", 2.0), leaf("b", 1.0)
    >>> C = squared_error("C", affine("z", w, x, b), leaf("y", 5.0))  # (3·2 + 1 − 5)² = 4
    >>> grads = backward(C)
    >>> C.value, grads["w"], grads["b"]  # 2(z − y)·x, 2(z − y)·1
    (4.0, 8.0, 4.0)
    """
    order = _order(output)
    for node in order:
        node.grad = 0.0
    output.grad = 1.0
    for node in reversed(order):  # every node's grad is complete before it is handed on
        for child, local in node.inputs:
            child.grad += node.grad * local  # ∂C/∂input += ∂C/∂node · ∂node/∂input
    return {node.name: node.grad for node in order}


@dataclass
class Network:
    """One forward and backward pass of the tiny network at a sample (see :func:`tiny_network`)."""

    activation: str
    nodes: dict[str, Node] = field(default_factory=dict)

    @property
    def cost(self) -> float:
        return self.nodes["C"].value

    def value(self, name: str) -> float:
        return self.nodes[name].value

    def gradient(self) -> FloatArray:
        """∂C/∂θ for θ = (w₁, b₁, w₂, b₂), from the backward pass."""
        return np.array([self.nodes[name].grad for name in PARAMETERS])

    def local(self, node: str, input_name: str) -> float:
        """The local derivative on the edge ``input_name → node``."""
        return self.nodes[node].local(input_name)

    def chain(self, name: str) -> list[tuple[str, str, float]]:
        """The edges from C down to ``name`` as ``(node, its input, local derivative)``, C's edge first.

        Their product is ∂C/∂name (the network is a tree below C: one path per parameter).
        """
        path: list[tuple[str, str, float]] = []
        node = self.nodes["C"]
        while node.name != name:
            below = [(child, slope) for child, slope in node.inputs if _reaches(child, name)]
            if len(below) != 1:
                raise KeyError(f"no single path from C to {name!r}")
            child, slope = below[0]
            path.append((node.name, child.name, slope))
            node = child
        return path


def _reaches(node: Node, name: str) -> bool:
    return node.name == name or any(_reaches(child, name) for child, _ in node.inputs)


def tiny_network(theta: Points, x: float, y: float, kind: str = "sigmoid") -> Network:
    """The network ``x → z = w₁x + b₁ → a = σ(z) → ŷ = w₂a + b₂ → C = (ŷ − y)²``, forward and backward.

    Parameters
    ----------
    theta
        ``(w₁, b₁, w₂, b₂)``.
    x, y
        The sample: input and target.
    kind
        ``"sigmoid"`` or ``"relu"``.

    Examples
    --------
    >>> net = tiny_network([1.0, 0.0, 2.0, 0.5], x=0.0, y=1.0)  # z = 0, a = 0.5, ŷ = 1.5, C = 0.25
    >>> net.cost, net.gradient().tolist()  # ∂C/∂w₁ = 2(ŷ − y)·w₂·σ'(z)·x = 0 because x = 0
    (0.25, [0.0, 0.5, 0.5, 1.0])
    >>> [local for _, _, local in net.chain("b1")]  # 2(ŷ − y), w₂, σ'(z), 1
    [1.0, 2.0, 0.25, 1.0]
    """
    w1, b1, w2, b2 = (leaf(name, v) for name, v in zip(PARAMETERS, np.asarray(theta, dtype=float), strict=True))
    xs, ys = leaf("x", x), leaf("y", y)
    z = affine("z", w1, xs, b1)
    a = activation("a", z, kind)
    yhat = affine("yhat", w2, a, b2)
    C = squared_error("C", yhat, ys)
    backward(C)
    return Network(kind, {n.name: n for n in (xs, ys, w1, b1, w2, b2, z, a, yhat, C)})


def cost(theta: Points, x: float, y: float, kind: str = "sigmoid") -> dict[str, float]:
    """The forward pass alone, as plain arithmetic: ``z``, ``a``, ``yhat`` and ``C`` at ``theta``.

    Examples
    --------
    >>> cost([2.0, -1.0, 3.0, 0.0], x=1.0, y=2.0, kind="relu")  # z = 1, a = 1, ŷ = 3, C = 1
    {'z': 1.0, 'a': 1.0, 'yhat': 3.0, 'C': 1.0}
    """
    w1, b1, w2, b2 = (float(v) for v in np.asarray(theta, dtype=float))
    z = w1 * x + b1
    if kind not in ACTIVATIONS:
        raise ValueError(f"unknown activation {kind!r}; use one of {', '.join(ACTIVATIONS)}")
    a = _sigmoid(z) if kind == "sigmoid" else max(0.0, z)
    yhat = w2 * a + b2
    return {"z": z, "a": a, "yhat": yhat, "C": (yhat - y) ** 2}


def central_difference(theta: Points, name: str, eps: float, x: float, y: float, kind: str = "sigmoid") -> float:
    """``(C(θ + ε e) − C(θ − ε e)) / 2ε`` for the parameter ``name``: the slope measured by a nudge.

    Examples
    --------
    >>> theta = [0.5, 0.1, -1.0, 0.2]
    >>> slope = central_difference(theta, "w1", 1e-5, x=1.5, y=0.3)
    >>> bool(abs(slope - tiny_network(theta, 1.5, 0.3).gradient()[0]) < 1e-8)
    True
    """
    nudge = np.zeros(len(PARAMETERS))
    nudge[PARAMETERS.index(name)] = eps
    theta = np.asarray(theta, dtype=float)
    up, down = cost(theta + nudge, x, y, kind)["C"], cost(theta - nudge, x, y, kind)["C"]
    return (up - down) / (2.0 * eps)


def step(theta: Points, gradient: Points, lr: float) -> FloatArray:
    """One update of every parameter at once: ``θ ← θ − η ∇C(θ)``.

    Examples
    --------
    >>> step([1.0, 2.0], [0.5, -1.0], lr=0.1).tolist()
    [0.95, 2.1]
    """
    return np.asarray(theta, dtype=float) - lr * np.asarray(gradient, dtype=float)  # θ − η∇C


def layer_counts(layer_sizes: Sequence[int]) -> list[tuple[int, int]]:
    """Weights and biases of each dense layer: ``(n_in · n_out, n_out)`` for consecutive sizes.

    Examples
    --------
    >>> layer_counts([784, 16, 16, 10])
    [(12544, 16), (256, 16), (160, 10)]
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"a network needs at least two layers of at least one unit, got {sizes}")
    return [(n_in * n_out, n_out) for n_in, n_out in itertools.pairwise(sizes)]


def parameter_count(layer_sizes: Sequence[int]) -> int:
    """Weights plus biases of a dense network with these layer sizes (input layer first).

    Examples
    --------
    >>> parameter_count([784, 16, 16, 10])
    13002
    """
    return sum(weights + biases for weights, biases in layer_counts(layer_sizes))


def normal_equations(x: Points, y: Points) -> tuple[FloatArray, FloatArray]:
    """``∇J = 0`` for ``J(w, b) = 1/(2m) Σ (w xᵢ + b − yᵢ)²``, as ``A (w, b) = r``.

    ``∂J/∂w = 0`` reads ``mean(x²) w + mean(x) b = mean(xy)``; ``∂J/∂b = 0`` reads
    ``mean(x) w + b = mean(y)``.

    Examples
    --------
    >>> A, r = normal_equations([1, 2, 3, 4], [3, 5, 7, 9])
    >>> A.tolist(), r.tolist(), np.linalg.solve(A, r).round(12).tolist()
    ([[7.5, 2.5], [2.5, 1.0]], [17.5, 6.0], [2.0, 1.0])
    """
    x, y = np.ravel(np.asarray(x, dtype=float)), np.ravel(np.asarray(y, dtype=float))
    A = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    return A, np.array([np.mean(x * y), np.mean(y)])


SIGNIFICANT = 3  # every number shown has at least this many significant digits


def shown_decimals(value: float, decimals: int, significant: int = SIGNIFICANT) -> int:
    """Decimals ``value`` is shown with: ``decimals``, or more if it needs them for ``significant`` digits.

    Examples
    --------
    >>> shown_decimals(1.3966, 2), shown_decimals(0.000295, 2), shown_decimals(0.0, 2), shown_decimals(123.4, 2)
    (2, 6, 2, 2)
    """
    value = abs(float(value))
    if value == 0 or not math.isfinite(value):
        return decimals
    return max(decimals, significant - 1 - math.floor(math.log10(value)))


def round_shown(value: float, decimals: int, significant: int = SIGNIFICANT) -> float:
    """``value`` rounded as it is shown (see :func:`shown_decimals`).

    Examples
    --------
    >>> round_shown(1.39659, 3), round_shown(0.00029512, 3), round_shown(-2.5, 3)
    (1.397, 0.000295, -2.5)
    """
    return round(float(value), shown_decimals(value, decimals, significant)) + 0.0


Relation = tuple[Sequence[float], Callable[[Sequence[float]], float], float]
Precision = tuple[int, int]  # (decimals of a row's inputs, decimals of its result), see round_shown


def row_precision(relations: Sequence[Relation], least: int = 2, most: int = 8) -> Precision | None:
    """How to round one row on screen so that a viewer redoing it with the numbers shown finds the result shown.

    A relation ``(inputs, combine, result)`` says ``combine(inputs) = result``. At precision
    ``(d, r)`` its inputs are shown with ``d`` decimals and its result with ``r`` (both at
    least :data:`SIGNIFICANT` significant digits, see :func:`round_shown`); it checks when
    ``combine`` of the inputs as shown, rounded like the result, is the result as shown.
    The first precision that checks every relation of the row, trying ``d`` from ``least``
    and ``r = d, d − 1, d − 2`` (a result that amplifies rounding needs fewer decimals than
    its inputs); ``None`` if none up to ``most`` does.

    Examples
    --------
    >>> product = lambda v: v[0] * v[1]
    >>> row_precision([([0.1966, 0.7941], product, 0.1966 * 0.7941)])  # 0.197 · 0.794 = 0.1564 → 0.156 ✓
    (2, 2)
    >>> square = lambda v: (v[0] - 1.0) ** 2  # (ŷ − y)² with ŷ = 1.3966: (1.4 − 1)² = 0.16, not 0.157
    >>> row_precision([([1.3966], square, 0.3966**2)])  # (1.397 − 1)² = 0.1576 → 0.158 ✗; (1.3966 − 1)² → 0.1573 ✓
    (4, 4)
    """
    for decimals in range(least, most + 1):
        for result in (decimals, decimals - 1, decimals - 2):
            if result >= 1 and all(_checks(relation, decimals, result) for relation in relations):
                return decimals, result
    return None


def _checks(relation: Relation, decimals: int, result_decimals: int) -> bool:
    inputs, combine, result = relation
    redone = combine([round_shown(v, decimals) for v in inputs])
    return round(redone, shown_decimals(result, result_decimals)) + 0.0 == round_shown(result, result_decimals)


def by_name(theta: Points) -> Mapping[str, float]:
    """``θ`` as ``{"w1": …, "b1": …, "w2": …, "b2": …}``."""
    return dict(zip(PARAMETERS, (float(v) for v in np.asarray(theta, dtype=float)), strict=True))


def composite_slope(theta: Points, x: float, h: float, kind: str = "sigmoid") -> float:
    """The slope of ``a(x) = σ(w₁x + b₁)`` at ``x`` measured by ``(a(x + h) − a(x − h)) / 2h``.

    Examples
    --------
    >>> round(composite_slope([2.0, 0.0, 1.0, 0.0], 0.0, 1e-5), 9)  # σ'(0)·w₁ = 0.25 · 2
    0.5
    """
    return (cost(theta, x + h, 0.0, kind)["a"] - cost(theta, x - h, 0.0, kind)["a"]) / (2.0 * h)


def first_unit(theta: Points, x: Points, kind: str = "sigmoid") -> FloatArray:
    """``a(x) = σ(w₁x + b₁)`` (or ReLU) for an array of inputs: the composite of the chain-rule step.

    Examples
    --------
    >>> first_unit([2.0, -1.0, 0.0, 0.0], [0.5, 1.0], "relu").tolist(), first_unit([1.0, 0.0, 0.0, 0.0], [0.0]).tolist()
    ([0.0, 1.0], [0.5])
    """
    z = float(np.asarray(theta, dtype=float)[0]) * np.asarray(x, dtype=float) + float(np.asarray(theta)[1])
    if kind not in ACTIVATIONS:
        raise ValueError(f"unknown activation {kind!r}; use one of {', '.join(ACTIVATIONS)}")
    return 0.5 * (1.0 + np.tanh(z / 2.0)) if kind == "sigmoid" else np.maximum(0.0, z)  # σ(z) = (1 + tanh(z/2))/2


def _act(kind: str) -> Callable[[Sequence[float]], float]:
    return (lambda v: _sigmoid(v[0])) if kind == "sigmoid" else (lambda v: max(0.0, v[0]))


@dataclass(frozen=True)
class Lesson:
    """Every number of the backpropagation clip for one config (see :func:`lesson`)."""

    theta: FloatArray
    x: float
    y: float
    kind: str
    lr: float
    eps: float
    net: Network
    nudges: FloatArray  # central differences (C(θ + εe) − C(θ − εe)) / 2ε, one per parameter
    slope: float  # the composite a(x) measured by a nudge of x
    plus: dict[str, float]  # the forward pass at w₁ + ε
    after_theta: FloatArray  # θ − η∇C
    after: dict[str, float]  # the forward pass there

    @property
    def gradient(self) -> FloatArray:
        return self.net.gradient()

    @property
    def before(self) -> dict[str, float]:
        return {name: self.net.value(name) for name in ("z", "a", "yhat", "C")}

    def relations(self, row: str) -> list[Relation]:
        """What a viewer can redo in one row on screen: ``forward z`` (``a``, ``yhat``, ``C``), ``chain w1``
        (a component as the product of its local derivatives), ``step w1``, ``composite`` (f′(g(x)) · g′(x))."""
        kind, name = row.split(" ") if " " in row else (row, "")
        net, t = self.net, self.theta
        if kind == "forward":
            w1, b1, w2, b2 = t
            v = self.before
            inputs = {"z": ([w1, self.x, b1], lambda u: u[0] * u[1] + u[2]), "a": ([v["z"]], _act(self.kind)),
                      "yhat": ([w2, v["a"], b2], lambda u: u[0] * u[1] + u[2]),
                      "C": ([v["yhat"], self.y], lambda u: (u[0] - u[1]) ** 2)}[name]  # fmt: skip
            return [(*inputs, v[name])]
        if kind == "chain":
            factors = [local for *_, local in net.chain(name)]
            return [(factors, lambda u: float(np.prod(u)), float(self.gradient[PARAMETERS.index(name)]))]
        if kind == "step":
            k = PARAMETERS.index(name)
            return [([t[k], self.lr, self.gradient[k]], lambda u: u[0] - u[1] * u[2], float(self.after_theta[k]))]
        if kind == "composite":
            outer = net.local("a", "z")
            return [([outer, t[0]], lambda u: u[0] * u[1], outer * t[0])]
        raise KeyError(f"no row {row!r}")

    ROWS = ("forward z", "forward a", "forward yhat", "forward C", "composite",
            *(f"{kind} {name}" for kind in ("chain", "step") for name in PARAMETERS))  # fmt: skip

    def precision(self, row: str) -> Precision | None:
        """The rounding of ``row`` (see :meth:`relations` and :func:`row_precision`)."""
        return row_precision(self.relations(row))

    def gap_precision(self) -> Precision | None:
        """The rounding of ŷ's box (and y's) and of the edge label ``2(ŷ − y)`` beside them, so that they agree."""
        yhat = self.net.value("yhat")
        return row_precision([([yhat, self.y], lambda u: 2 * (u[0] - u[1]), 2 * (yhat - self.y))])

    def unrounded(self) -> list[str]:
        """The rows no precision up to 8 decimals makes agree."""
        return [row for row in self.ROWS if self.precision(row) is None] + ([] if self.gap_precision() else ["gap"])

    def outcome(self) -> str:
        """``"lower"``, ``"higher"`` or ``"same"``: the cost after the step against before, as shown (2 decimals)."""
        before, after = round_shown(self.net.cost, 2), round_shown(self.after["C"], 2)
        return "same" if before == after else "lower" if after < before else "higher"

    def disagreeing(self) -> list[str]:
        """Parameters whose nudge, shown like their chain row's result, differs from it (and ``"x"``: the composite)."""
        wrong = []
        for k, name in enumerate(PARAMETERS):
            digits = (self.precision(f"chain {name}") or (6, 6))[1]
            if round_shown(self.gradient[k], digits) != round_shown(self.nudges[k], digits):
                wrong.append(name)
        digits = (self.precision("composite") or (6, 6))[1]
        composite = self.net.local("a", "z") * self.theta[0]
        return wrong + (["x"] if round_shown(composite, digits) != round_shown(self.slope, digits) else [])


def lesson(theta: Points, x: float, y: float, kind: str, lr: float, eps: float) -> Lesson:
    """The clip's numbers: forward and backward at ``θ``, the nudges by ``eps``, one step of ``lr``.

    Examples
    --------
    >>> story = lesson([1.0, -0.5, 0.8, 0.3], x=1.5, y=0.5, kind="sigmoid", lr=0.1, eps=1e-3)
    >>> story.outcome(), story.disagreeing(), story.unrounded(), story.precision("chain w1")
    ('lower', [], [], (2, 2))
    >>> [round_shown(g, 2) for g in story.gradient], round_shown(story.net.cost, 2), round_shown(story.after["C"], 2)
    ([0.182, 0.121, 0.563, 0.77], 0.148, 0.0681)
    """
    theta = np.asarray(theta, dtype=float)
    net = tiny_network(theta, x, y, kind)
    nudges = np.array([central_difference(theta, name, eps, x, y, kind) for name in PARAMETERS])
    after = step(theta, net.gradient(), lr)
    plus = cost(theta + np.array([eps, 0.0, 0.0, 0.0]), x, y, kind)
    return Lesson(theta, x, y, kind, lr, eps, net, nudges, composite_slope(theta, x, eps, kind), plus, after,
                  cost(after, x, y, kind))  # fmt: skip


def regression_precision(x: Points, y: Points) -> Precision | None:
    """The rounding at which the normal equations, as shown, solve to the answer as shown (see :func:`normal_equations`).

    Examples
    --------
    >>> regression_precision([1, 2, 3, 4], [3, 5, 7, 9])
    (2, 2)
    """
    A, r = normal_equations(x, y)
    answer = np.linalg.solve(A, r)

    def solve(k: int):
        return lambda v: float(np.linalg.solve([[v[0], v[1]], [v[1], 1.0]], [v[2], v[3]])[k])

    return row_precision([([A[0, 0], A[0, 1], *r], solve(k), float(answer[k])) for k in (0, 1)])
