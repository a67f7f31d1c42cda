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
:func:`agreeing_digits`, the precision at which rounded numbers shown together
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
    "Network",
    "Node",
    "activation",
    "affine",
    "agreeing_digits",
    "backward",
    "by_name",
    "central_difference",
    "cost",
    "layer_counts",
    "leaf",
    "normal_equations",
    "parameter_count",
    "round_significant",
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


def round_significant(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits.

    Examples
    --------
    >>> round_significant(0.123456, 3), round_significant(-1234.5, 2), round_significant(0.0, 3)
    (0.123, -1200.0, 0.0)
    """
    return float(f"{float(value):.{digits - 1}e}")


Relation = tuple[Sequence[float], Callable[[Sequence[float]], float], float]


def agreeing_digits(relations: Sequence[Relation], least: int = 3, most: int = 8) -> int:
    """The fewest significant digits (from ``least``) at which every relation checks with the rounded numbers.

    A relation ``(inputs, combine, result)`` says ``combine(inputs) = result``; it checks
    at ``k`` digits when ``combine`` of the inputs rounded to ``k`` digits, rounded to
    ``k`` digits, is ``result`` rounded to ``k`` digits — what a viewer finds by redoing
    the sum with the numbers on screen. ``most`` if no precision up to it does.

    Examples
    --------
    >>> product = lambda v: v[0] * v[1]
    >>> agreeing_digits([([0.1966, 0.7941], product, 0.1966 * 0.7941)])  # 0.197 · 0.794 = 0.1564 → 0.156 ✓
    3
    >>> agreeing_digits([([1.2345, 1.2345], product, 1.2345**2)])  # 1.23² = 1.51, 1.235² = 1.525; 1.524 is right
    5
    """
    for digits in range(least, most + 1):
        if all(_checks(relation, digits) for relation in relations):
            return digits
    return most


def _checks(relation: Relation, digits: int) -> bool:
    inputs, combine, result = relation
    redone = combine([round_significant(v, digits) for v in inputs])
    return round_significant(redone, digits) == round_significant(result, digits)


def by_name(theta: Points) -> Mapping[str, float]:
    """``θ`` as ``{"w1": …, "b1": …, "w2": …, "b2": …}``."""
    return dict(zip(PARAMETERS, (float(v) for v in np.asarray(theta, dtype=float)), strict=True))
