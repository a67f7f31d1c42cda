"""Backpropagation: why we step instead of solving ∇J = 0, and how the chain rule finds ∇C backward.

Render: manim render -ql scenes/backprop.py Backpropagation

Storyboard: ∇J = 0 solved for linear regression (two linear equations) → the digit
network's 13,002 parameters, counted from its layer sizes → the chain rule on
a(x) = f(g(x)) at the sample, checked by a nudge → the tiny network as a graph of
nodes, the forward pass → backward: local derivatives on the edges, multiplied
along each path, every component checked by a ±ε nudge → the nudge of w₁ followed
through z, a, ŷ and C → one step θ ← θ − η∇C → summary. Every number comes from
``gradcore.backprop`` (the reverse-mode graph, :func:`~gradcore.backprop.lesson`);
numbers shown together are rounded so that they agree
(:func:`~gradcore.backprop.agreeing_decimals`).

With ReLU and z < 0 the unit is flat: ∂C/∂w₁ = ∂C/∂b₁ = 0, and the clip says so.
"""

from __future__ import annotations

import itertools

import numpy as np
from manim import DOWN, LEFT, Create, GrowArrow, Indicate, VGroup

import gradcore
from gradcore import backprop as bp
from scenes.parameter_space import ParameterSpace  # step 1 compares its data with this clip's
from scenes.toolkit import SIZE, LectureScene, Param, rollout
from scenes.toolkit import regression as rg
from scenes.toolkit.config import SceneParams, load_toml
from scenes.toolkit.network import Fade, NodeGraph, NodeSpec, tangent_chart
from scenes.toolkit.plotting import fit_width, fmt, paren

# --- layout (frame x ∈ [−7.1, 7.1], y ∈ [−4, 4]; captions below y = −3.05) ----------------------
LEFT_X, RIGHT_X, TOP_Y = -6.85, 0.45, 3.7  # the two columns of steps 1–2 (their left edges, their top)
COLUMN_WIDTH, LEFT_WIDTH = 6.3, 6.9  # the right column, and step 1's (up to x = 0.05)
FIT_CENTRE, FIT_SIZE = (4.0, 0.55), (4.8, 4.2)  # step 1's data and the line solved for, till step 2 needs the room
CHAIN_WIDTH, CHART_CENTRE, CHART_SIZE = 7.9, (4.35, 0.75), (4.3, 3.4)  # step 3: the rows, the chart of a(x)
MAIN_Y, PARAM_Y = 0.7, 2.95  # the graph's chain x → z → a → ŷ → C, and the row of parameters above it
COLUMNS = {"x": -5.9, "z": -2.95, "a": 0.0, "yhat": 2.95, "C": 5.9}
PARAM_COLUMNS = {"w1": -4.3, "b1": -1.65, "w2": 1.1, "b2": 3.7, "y": 5.95}
NODE_WIDTH, PARAM_WIDTH = 2.1, 2.35  # room for 3 significant digits of a small value (= 0.0000806) at full size
ROWS_TOP, ROW_GAP = -0.95, 0.47  # the lower panel: rows under the graph
RIGHT_EDGE = 6.95  # the nudge column ends here (inside the safe area)
COSTS_X = 0.9  # the costs before and after the step (step 7)
# --- limits ----------------------------------------------------------------------------------------
LAYERS = (784, 16, 16, 10)  # the digit network of the course notes
LIMIT = 10.0  # |x|, |y|, |w|, |b| at most
DATA_LIMIT = 1e3
SATURATED = 8.0  # |z| beyond which σ'(z) < 3.4e-4: the first layer learns (almost) nothing
EPS_TRIES = (1e-3, 1e-4, 1e-5, 1e-2)  # ε suggested when the one given does not check
NAMES = {"w1": "w_1", "b1": "b_1", "w2": "w_2", "b2": "b_2", "x": "x", "y": "y", "z": "z", "a": "a",
         "yhat": "hat(y)", "C": "C"}  # fmt: skip

# fmt: off
ACTIVATION_ROWS = {"sigmoid": "f(z) = sigma(z) = 1 \\/ (1 + e^(-z)), quad f'(z) = sigma(z)(1 - sigma(z))",
                   "relu": "f(z) = max(0, z), quad f'(z) = 1 thick (z > 0), quad 0 thick (z < 0)"}  # step 3: the outer function
LINES = {  # each step's narration (zh, en); a {name} is filled in from the numbers
    "solve a tiny model": ("线性回归只有 w、b 两个参数：令 ∇J = 0 得到两条线性方程，直接解出 (w, b) = {answer}。",
                           "Linear regression has two parameters: ∇J = 0 is two linear equations, solved here: "
                           "(w, b) = {answer}."),
    "13,002 parameters": ("数字识别网络 784-16-16-10 有 {count} 个参数：∇J = 0 是 {count} 条耦合的非线性方程，没有公式可解。",
                          "The digit network 784-16-16-10 has {count} parameters: ∇J = 0 is {count} coupled non-linear "
                          "equations with no formula. So we step downhill."),
    "the chain rule": ("链式法则：先求内层 g 的导数，再乘外层 f 在 g(x) 处的导数。在 x = {x}：{outer} × {inner} = {product}，与实测斜率一致。",
                       "The chain rule: d/dx f(g(x)) = f′(g(x)) · g′(x). At x = {x}: {outer} × {inner} = {product}, "
                       "the slope measured on the composite."),
    "a tiny network": ("一个小网络就是一条链：x → z → a → ŷ → C。前向计算依次写出每个节点的值，代价 C = {cost}。",
                       "A tiny network is a chain x → z → a → ŷ → C. The forward pass writes each node's value; "
                       "the cost is C = {cost}."),
}
BACKWARD_LINES = {  # step 5: a live unit, or ReLU flat at z < 0
    "live": ("反向：从 C 往回，每条边写上局部导数，沿路相乘就得到每个参数的分量，并用 ±ε 微调逐个验证。",
             "Backward: each edge carries its local derivative; their product on the path from C is that "
             "parameter's component, checked by a ±ε nudge."),
    "flat": ("反向：沿路把局部导数相乘。这里 z = {z} < 0，ReLU 是平的 (斜率 0)，所以 ∂C/∂w₁ = ∂C/∂b₁ = 0。",
             "Backward: multiply the local derivatives from C back. Here z = {z} < 0, where ReLU is flat "
             "(slope 0), so ∂C/∂w₁ = ∂C/∂b₁ = 0."),
}
NUDGE_LINES = {
    "live": ("把 w₁ 推动 ε = {eps}：z、a、ŷ、C 依次变化，每次乘上那条边的局部导数；ΔC/ε ≈ ∂C/∂w₁ = {g}。",
             "Nudge w₁ by ε = {eps}: z, a, ŷ and C move in turn, each by its edge's local derivative times the "
             "change before; ΔC/ε ≈ ∂C/∂w₁ = {g}."),
    "flat": ("把 w₁ 推动 ε = {eps}：z 变了，但 ReLU 在 z < 0 处是平的，a 和 C 都不动：这个样本教不了 w₁ 和 b₁。",
             "Nudge w₁ by ε = {eps}: z moves, but ReLU is flat below 0, so a and C stay put: this sample teaches "
             "w₁ and b₁ nothing."),
}
STEP_LINES = {  # step 7, by what the step did to the cost (see gradcore.backprop.Lesson.outcome)
    "lower": ("一步同时更新所有参数：θ ← θ − η∇C，η = {eta}。代价从 {before} 降到 {after}。",
              "One step moves every parameter at once: θ ← θ − η∇C with η = {eta}. The cost falls from {before} "
              "to {after}."),
    "higher": ("一步更新所有参数：θ ← θ − η∇C，η = {eta}。代价从 {before} 升到 {after}：η 太大，这一步冲过头了。",
               "One step θ ← θ − η∇C with η = {eta} moves every parameter, but the cost rises from {before} to "
               "{after}: η is too large and the step overshoots."),
    "same": ("一步更新所有参数：θ ← θ − η∇C，η = {eta}。代价 {before} 几乎不变：η 太小，这一步太短。",
             "One step θ ← θ − η∇C with η = {eta} moves every parameter, but the cost stays at {before}: η is "
             "too small for a visible change."),
}
SUMMARY_LINES = ("小结：大模型的 ∇J = 0 没有公式，只能一步步下坡；∇C 由链式法则从后往前、逐边相乘得到。",
                 "Summary: for a big model ∇J = 0 has no formula, so we step downhill; backpropagation finds ∇C by "
                 "the chain rule, edge by edge from the back.")
SUMMARY = (  # the card: (palette colour, zh, en); {count} from gradcore.backprop.parameter_count
    ("text", "$nabla J = 0$ 只对小模型可解；{count} 个参数时只能沿 $-nabla J$ 一步步走",
     "$nabla J = 0$ is solvable for tiny models; with {count} parameters we step along $-nabla J$"),
    ("tangent", "链式法则：沿路径把每条边的局部导数相乘", "the chain rule: multiply the local derivatives along the path"),
    ("gradient", "反向传播：一次从 $C$ 往回的计算给出 $nabla C$ 的全部分量",
     "backpropagation: one pass back from $C$ gives every component of $nabla C$"),
)
OUTCOME_SUMMARY = {
    "lower": ("good", "这里一步 $eta = {eta}$：$C$ 从 ${before}$ 降到 ${after}$", "here one step of $eta = {eta}$ took $C$ from ${before}$ down to ${after}$"),
    "higher": ("warn", "这里 $eta = {eta}$ 太大：$C$ 从 ${before}$ 升到 ${after}$", "here $eta = {eta}$ is too large: $C$ rose from ${before}$ to ${after}$"),
    "same": ("warn", "这里 $eta = {eta}$ 太小：$C$ 停在 ${before}$", "here $eta = {eta}$ is too small: $C$ stays at ${before}$"),
}
# fmt: on


class Backpropagation(LectureScene):
    """Why we step downhill, and the chain rule run backward through a tiny network."""

    config_table = "backprop"
    # fmt: off
    parameters = {
        "sample": Param([1.5, 0.5], "the sample (x, y) the tiny network learns from", "point", size=2),
        "w1": Param(0.6, "initial weight w₁ of z = w₁x + b₁", "number", lower=-LIMIT, maximum=LIMIT),
        "b1": Param(0.1, "initial bias b₁ of z = w₁x + b₁", "number", lower=-LIMIT, maximum=LIMIT),
        "w2": Param(0.8, "initial weight w₂ of ŷ = w₂a + b₂", "number", lower=-LIMIT, maximum=LIMIT),
        "b2": Param(0.3, "initial bias b₂ of ŷ = w₂a + b₂", "number", lower=-LIMIT, maximum=LIMIT),
        "activation": Param("sigmoid", "a = σ(z): sigmoid or relu", "choice", choices=bp.ACTIVATIONS),
        "lr": Param(0.1, "learning rate η of the one step θ ← θ − η∇C", "positive", maximum=LIMIT),
        "eps": Param(0.001, "the nudge ε that checks each component (at most 0.01)", "positive", lower=1e-6, maximum=0.01),
        "data_x": Param([1, 2, 3, 4], "the inputs of step 1's linear regression (else [parameter_space]'s)", "points", max_items=40, default_from=("parameter_space", "x")),
        "data_y": Param([3, 5, 7, 9], "the targets of step 1's linear regression (else [parameter_space]'s)", "points", max_items=40, default_from=("parameter_space", "y")),
    }
    # fmt: on

    @classmethod
    def check_params(cls, params) -> str | None:
        """Data that fix one line, a unit that is not on ReLU's kink nor saturated, C > 0, nudges that check."""
        return trouble(params, suggest=True)

    def construct(self) -> None:
        self.setup_numbers()
        self.solve_a_tiny_model()
        self.count_parameters()
        self.the_chain_rule()
        self.a_tiny_network()
        self.backward()
        self.a_nudge()
        self.one_step()
        self.summary()

    # --- numbers from gradcore, and how they are written ------------------------------------------
    def setup_numbers(self) -> None:
        self.palette = rg.readable(self.palette)  # text and thin lines at 4.5 : 1 in both themes
        p, self.story = self.params, (story := teach(self.params))
        self.x, self.y = (float(v) for v in p.sample)
        self.flat = bool(np.all(story.gradient[:2] == 0) and story.net.value("z") < 0)
        (self.A, self.r), self.count = bp.normal_equations(p.data_x, p.data_y), bp.parameter_count(LAYERS)
        self.answer = np.linalg.solve(self.A, self.r)
        self.data_precision = bp.regression_precision(p.data_x, p.data_y)
        self.boxes = {"y": story.gap_precision()[0], "yhat": story.gap_precision()[0]}  # as 2(ŷ − y) needs them

    def n(self, value: float, decimals: int = 2) -> str:
        """A number as shown: ``decimals`` decimals, more for 3 significant digits (``gradcore.backprop.round_shown``)."""
        return fmt(value, bp.shown_decimals(value, decimals))

    def boxed(self, name: str, value: float, colour: str | None = None):
        """A box's value: as 2(ŷ − y) needs it (ŷ, y), else 2 decimals, none from 1000 on (it fits the box)."""
        return self.math(f"= {self.n(value, self.boxes.get(name, 2 if abs(value) < 1000 else 0))}", size=SIZE.SMALL, color=colour)  # fmt: skip

    def narrate(self, section: str, lines: tuple[str, str], **words: str) -> None:
        self.step(section, zh=lines[0].format(**words), en=lines[1].format(**words))

    def column(self, rows: list, left: float, top: float = TOP_Y, width: float = COLUMN_WIDTH) -> VGroup:
        for row in rows:
            fit_width(row, width)
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.28).move_to([left, top, 0], aligned_edge=LEFT + np.array([0, 1, 0]))  # fmt: skip

    def reveal(self, rows, pause: float = 0.6) -> None:
        for row in rows:
            self.play(Fade(row), run_time=0.7)
            self.wait(pause)

    # Section: solve a tiny model
    def solve_a_tiny_model(self) -> None:
        """J(w, b) of linear regression, ∇J = 0 as two linear equations with the data's means, their answer."""
        pal, (A, r), (d, out) = self.palette, (self.A, self.r), self.data_precision
        w, b = (self.n(v, out) for v in self.answer)
        self.narrate("solve a tiny model", LINES["solve a tiny model"], answer=f"({w}, {b})")
        sign = "+" if A[0, 1] >= 0 else "-"
        # fmt: off
        rows = [
            self.text(self.say("线性回归：参数 w 和 b", "linear regression: w and b"), color=pal.muted, size=SIZE.SMALL),
            self.math("J(w, b) = 1/(2m) sum_i (w x_i + b - y_i)^2", size=SIZE.LABEL),
            self.math("partial J \\/ partial w = 0, quad partial J \\/ partial b = 0 :", size=SIZE.LABEL),
            self.math(f"{self.n(A[0, 0], d)} w {sign} {self.n(abs(A[0, 1]), d)} b = {self.n(r[0], d)}", size=SIZE.LABEL),
            self.math(f"{self.n(A[0, 1], d)} w + b = {self.n(r[1], d)}", size=SIZE.LABEL),
            self.math(f"=> quad w = {w}, quad b = {b}", size=SIZE.LABEL, color=pal.good),
            self.text(self.same_data_words(), size=SIZE.SMALL, color=pal.muted),
        ]
        # fmt: on
        self.left_column = self.column(rows, LEFT_X, width=LEFT_WIDTH)
        xs, ys, label = self.params.data_x, self.params.data_y, lambda t: self.math(t, size=SIZE.SMALL, color=pal.muted)  # fmt: skip
        self.fit_data = data = rg.DataPanel(xs, ys, rg.data_ranges(xs, ys), centre=FIT_CENTRE, size=FIT_SIZE, palette=pal)  # fmt: skip
        self.fit_chart = VGroup(data.axes(label, (label("x"), label("y"))), data.dots(), data.line(self.answer, pal.good))  # fmt: skip
        self.play(Fade(self.fit_chart[:2]), run_time=0.8)
        self.reveal(self.left_column)
        self.play(Create(self.fit_chart[2]), run_time=0.8)  # the line the two equations give
        self.wait(1.0)

    def same_data_words(self) -> str:
        """Whether step 1's data are the parameter-space clip's (its least-squares answer; its descent may diverge)."""
        table = load_toml(self.settings.path).get("parameter_space", {})
        theirs = [np.ravel(table.get(k, ParameterSpace.parameters[k].default)).astype(float) for k in ("x", "y")]
        mine = [np.ravel(self.params.data_x), np.ravel(self.params.data_y)]
        if all(a.shape == b.shape and np.allclose(a, b) for a, b in zip(theirs, mine, strict=True)):
            return self.say("= 参数空间一段的\n最小二乘解 (w*, b*)", "= the least-squares answer (w*, b*)\nof the parameter-space clip")  # fmt: skip
        return self.say("(数据与参数空间\n一段不同)", "(not the data of the\nparameter-space clip)")

    # Section: 13,002 parameters
    def count_parameters(self) -> None:
        """The digit network's parameters counted layer by layer from its sizes (gradcore.backprop)."""
        pal = self.palette
        self.narrate("13,002 parameters", LINES["13,002 parameters"], count=f"{self.count:,}")
        self.play(Fade(self.fit_chart, out=True), run_time=0.5)
        layers = " → ".join(str(n) for n in LAYERS)
        rows = [self.text(self.say(f"数字识别网络 {layers}", f"digit network {layers}"), color=pal.muted, size=SIZE.SMALL)]  # fmt: skip
        for (n_in, n_out), (weights, biases) in zip(itertools.pairwise(LAYERS), bp.layer_counts(LAYERS), strict=True):
            rows.append(self.math(f"{n_in} times {n_out} + {biases} = {weights + biases}", size=SIZE.LABEL))
        parts = " + ".join(str(w + b) for w, b in bp.layer_counts(LAYERS))
        rows.append(self.math(f"{parts} = {self.count}", size=SIZE.LABEL, color=pal.highlight))
        words = (f"$nabla J = 0$：{self.count} 条耦合的", f"$nabla J = 0$: {self.count} coupled")
        rows.append(self.mixed(self.say(*words), color=pal.warn, size=SIZE.SMALL))
        rows.append(self.text(self.say("非线性方程，没有公式", "non-linear equations, no formula"), color=pal.warn, size=SIZE.SMALL))  # fmt: skip
        self.right_column = self.column(rows, RIGHT_X)
        self.reveal(self.right_column)
        self.wait(1.5)

    # Section: the chain rule
    def the_chain_rule(self) -> None:
        """a(x) = f(g(x)) with g = w₁x + b₁ and f the activation: f′(g(x)) · g′(x) at the sample, and a nudge of x."""
        pal, s, net = self.palette, self.story, self.story.net
        outer, inner = net.local("a", "z"), float(s.theta[0])
        product, (d, out) = outer * inner, s.precision("composite")
        self.narrate("the chain rule", LINES["the chain rule"], x=self.n(self.x), outer=self.n(outer, d),
                     inner=paren(self.n(inner, d)), product=self.n(product, out))  # fmt: skip
        self.play(Fade(self.left_column, out=True), Fade(self.right_column, out=True), run_time=0.6)
        f = ACTIVATION_ROWS[self.params.activation]
        z, n = self.n(net.value("z")), self.n
        # fmt: off
        rows = [
            self.math("a(x) = f(g(x)), quad g(x) = w_1 x + b_1", size=SIZE.LABEL),
            self.math(f, size=SIZE.LABEL),
            self.math("d/(d x) f(g(x)) = f'(g(x)) dot g'(x)", size=SIZE.LABEL, color=pal.tangent),
            self.math(f"x = {n(self.x)}: quad g(x) = {z}, quad g'(x) = w_1 = {n(inner, d)}", size=SIZE.LABEL),
            self.math(f"f'(g(x)) = f'({z}) = {n(outer, d)}", size=SIZE.LABEL),
            self.math(f"(d a)/(d x) = {n(outer, d)} dot {paren(n(inner, d))} = {n(product, out)}", size=SIZE.LABEL, color=pal.tangent),
            self.mixed(self.say("实测：", "measured: ") + f"$(a(x + epsilon) - a(x - epsilon)) \\/ (2 epsilon) = {n(s.slope, out)}$", size=SIZE.LABEL, color=pal.good),
        ]
        # fmt: on
        self.chain_rows = self.column(rows, LEFT_X, width=CHAIN_WIDTH)
        tick = lambda v: self.math(fmt(v, 2), size=SIZE.SMALL, color=pal.muted)  # noqa: E731
        names = (self.math("x", size=SIZE.SMALL, color=pal.muted), self.math("a(x)", size=SIZE.SMALL, color=pal.muted))
        chart, tangent = tangent_chart(lambda xs: bp.first_unit(s.theta, xs, s.kind), self.x, product, centre=CHART_CENTRE, size=CHART_SIZE, palette=pal, tick=tick, names=names)  # fmt: skip
        self.play(Fade(chart), run_time=0.8)
        self.reveal(self.chain_rows[:5], pause=0.9)
        self.play(Fade(self.chain_rows[5]), Create(tangent[0]), Fade(tangent[1]), run_time=1.0)
        self.reveal(self.chain_rows[6:], pause=0.9)
        self.wait(1.5)
        self.chain_rows = VGroup(self.chain_rows, chart, tangent)

    # Section: a tiny network
    def a_tiny_network(self) -> None:
        """The graph of nodes; the forward pass writes each value, each with its formula in the panel below."""
        s = self.story
        self.narrate("a tiny network", LINES["a tiny network"], cost=self.n(s.net.cost))
        self.play(Fade(self.chain_rows, out=True), run_time=0.6)
        self.graph = graph = self.build_graph()
        self.play(*(Create(box[0]) for box in graph.boxes.values()), *(Fade(box[1]) for box in graph.boxes.values()), run_time=1.0)  # fmt: skip
        self.play(*(GrowArrow(a) for a in graph.arrows.values()), run_time=0.8)
        leaves = {name: s.theta[k] for k, name in enumerate(bp.PARAMETERS)} | {"x": self.x, "y": self.y}
        self.values = {name: graph.value(name, self.boxed(name, v)) for name, v in leaves.items()}  # fmt: skip
        self.play(*(Fade(v) for v in self.values.values()), run_time=0.8)
        self.forward_rows = self.forward_pass(s.theta, s.before, animate=True)
        self.wait(1.2)

    def build_graph(self) -> NodeGraph:
        pal = self.palette
        nodes = {name: NodeSpec((x, MAIN_Y), NODE_WIDTH, 1.15) for name, x in COLUMNS.items()}
        nodes |= {name: NodeSpec((x, PARAM_Y), 1.9 if name == "y" else PARAM_WIDTH, 0.62) for name, x in PARAM_COLUMNS.items()}  # fmt: skip
        edges = [("x", "z"), ("w1", "z"), ("b1", "z"), ("z", "a"), ("a", "yhat"), ("w2", "yhat"), ("b2", "yhat"),
                 ("yhat", "C"), ("y", "C")]  # fmt: skip
        names = {name: self.math(NAMES[name], size=SIZE.LABEL, color=pal.highlight if name in bp.PARAMETERS else pal.text) for name in nodes}  # fmt: skip
        return NodeGraph(nodes, edges, names, pal.axes, pal.muted)

    def forward_pass(self, theta, values: dict, animate: bool) -> VGroup:
        """The node values z, a, ŷ, C at ``theta`` written into the boxes, and the formula rows below."""
        act = "sigma" if self.params.activation == "sigmoid" else '"ReLU"'
        d = {k: self.story.precision(f"forward {k}") for k in ("z", "a", "yhat", "C")}  # (inputs, result) per row
        n, (w1, b1, w2, b2), v = self.n, theta, values
        texts = [f"z = w_1 x + b_1 = {n(w1, d['z'][0])} dot {paren(n(self.x, d['z'][0]))} + {paren(n(b1, d['z'][0]))} = {n(v['z'], d['z'][1])}",
                 f"a = {act}(z) = {act}({n(v['z'], d['a'][0])}) = {n(v['a'], d['a'][1])}",
                 f"hat(y) = w_2 a + b_2 = {n(w2, d['yhat'][0])} dot {paren(n(v['a'], d['yhat'][0]))} + {paren(n(b2, d['yhat'][0]))} = {n(v['yhat'], d['yhat'][1])}",
                 f"C = (hat(y) - y)^2 = ({n(v['yhat'], d['C'][0])} - {paren(n(self.y, d['C'][0]))})^2 = {n(v['C'], d['C'][1])}"]  # fmt: skip
        rows = VGroup(*(self.math(t, size=SIZE.SMALL) for t in texts))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18).move_to([LEFT_X, ROWS_TOP, 0], aligned_edge=LEFT + np.array([0, 1, 0]))  # fmt: skip
        for name, row in zip(("z", "a", "yhat", "C"), rows, strict=True):
            label = self.graph.value(name, self.boxed(name, values[name]))  # fmt: skip
            old = self.values.get(name)
            if animate:
                self.play(Fade(row), *([Fade(old, out=True)] if old else []), Fade(label), Indicate(self.graph.frame(name), color=self.palette.highlight), run_time=0.9)  # fmt: skip
                self.wait(0.5)
            self.values[name] = label
        return rows

    # Section: backward
    def backward(self) -> None:
        """Local derivatives on the edges from C back; each component as their product, beside its nudge."""
        pal, s = self.palette, self.story
        case = "flat" if self.flat else "live"
        self.narrate("backward", BACKWARD_LINES[case], z=self.n(s.net.value("z")))
        self.play(Fade(self.forward_rows, out=True), run_time=0.5)
        self.edge_labels = self.local_labels()
        for group in self.edge_labels:
            self.play(Fade(group), run_time=0.7)
            self.wait(0.4)
        self.component_rows = VGroup()
        for symbols, word in ((True, True), (False, True), (False, False)):  # the symbols are on the edges
            pairs = [self.component_row(name, symbols, word) for name in ("w2", "b2", "w1", "b1")]
            check_left = RIGHT_EDGE - max(check.width for _, check in pairs)
            if all(chain.width <= check_left - 0.3 - LEFT_X for chain, _ in pairs):
                break
        for k, (name, (chain, check)) in enumerate(zip(("w2", "b2", "w1", "b1"), pairs, strict=True)):
            y = ROWS_TOP - 0.15 - k * ROW_GAP
            chain.move_to([LEFT_X, y, 0], aligned_edge=LEFT)
            check.move_to([check_left, y, 0], aligned_edge=LEFT)
            self.play(Fade(chain), Indicate(self.graph.frame(name), color=pal.gradient), run_time=0.8)
            self.play(Fade(check), run_time=0.5)
            self.wait(0.6)
            self.component_rows.add(chain, check)
        self.wait(1.5)

    def local_labels(self) -> list[VGroup]:
        """The local derivative of every edge on a path to a parameter, grouped by distance from C."""
        s, net, pal, g = self.story, self.story.net, self.palette, self.graph
        act = "sigma'(z)" if self.params.activation == "sigmoid" else '"ReLU"\'(z)'

        def label(text: str, value: float, edge, side: str, decimals: int = 2):  # 2(ŷ − y) agrees with ŷ's box
            return g.edge_label(edge, self.math(f"{text} = {self.n(value, decimals)}" if text else self.n(value), size=SIZE.SMALL, color=pal.tangent), side)  # fmt: skip

        # fmt: off
        return [VGroup(label("2(hat(y) - y)", net.local("C", "yhat"), ("yhat", "C"), "below", s.gap_precision()[1])),
                VGroup(label("w_2", s.theta[2], ("a", "yhat"), "below"), label("a", net.value("a"), ("w2", "yhat"), "left"), label("", 1.0, ("b2", "yhat"), "right")),
                VGroup(label(act, net.local("a", "z"), ("z", "a"), "below"), label("x", self.x, ("w1", "z"), "left"), label("", 1.0, ("b1", "z"), "right"))]
        # fmt: on

    def component_row(self, name: str, symbols: bool = True, word: bool = True) -> tuple:
        """``∂C/∂θ = (local derivatives) = (their values) = product``, and ``nudge ±ε: value``."""
        s, pal, k = self.story, self.palette, bp.PARAMETERS.index(name)
        act = "sigma'(z)" if self.params.activation == "sigmoid" else '"ReLU"\'(z)'
        path = {"w2": "a", "b2": "1", "w1": f"w_2 dot {act} dot x", "b1": f"w_2 dot {act} dot 1"}[name]
        path = f" = 2(hat(y) - y) dot {path}" if symbols else ""
        d, out = s.precision(f"chain {name}")
        factors = " dot ".join(paren(self.n(local, d)) for *_, local in s.net.chain(name))
        chain = self.math(f"partial C \\/ partial {NAMES[name]}{path} = {factors} = {self.n(s.gradient[k], out)}", size=SIZE.SMALL, color=pal.gradient)  # fmt: skip
        check = self.mixed((self.say("微调 $plus.minus epsilon$：", "nudge $plus.minus epsilon$: ") if word else "$plus.minus epsilon$: ") + f"${self.n(s.nudges[k], out)}$ ✓", size=SIZE.SMALL, color=pal.good)  # fmt: skip
        return chain, check

    # Section: a nudge
    def a_nudge(self) -> None:
        """w₁ + ε: the change of z, a, ŷ and C under each node, each the edge's local derivative times the last."""
        pal, s = self.palette, self.story
        case = "flat" if self.flat else "live"
        k = bp.PARAMETERS.index("w1")
        self.narrate("a nudge", NUDGE_LINES[case], eps=f"{s.eps:g}", g=self.n(s.gradient[k]))
        self.play(Fade(self.component_rows, out=True), run_time=0.5)
        before, plus, net = s.before, s.plus, s.net
        delta = {name: plus[name] - before[name] for name in ("z", "a", "yhat", "C")}
        sign = {"z": "=", "a": "approx", "yhat": "=", "C": "approx"}
        factor = {"z": (self.x, "epsilon"), "a": (net.local("a", "z"), "Delta z"), "yhat": (s.theta[2], "Delta a"),
                  "C": (net.local("C", "yhat"), "Delta hat(y)")}  # fmt: skip
        start = VGroup(self.math("w_1 + epsilon", size=SIZE.SMALL, color=pal.highlight),
                       self.math(f"epsilon = {s.eps:g}", size=SIZE.SMALL, color=pal.muted)).arrange(DOWN, buff=0.2)  # fmt: skip
        self.graph.under("x", start, ROWS_TOP - 0.55)
        self.play(Fade(start), Indicate(self.graph.frame("w1"), color=pal.highlight), run_time=0.8)
        shown = VGroup(start)
        for name in ("z", "a", "yhat", "C"):
            top = self.math(f"Delta {NAMES[name]}", size=SIZE.SMALL, color=pal.highlight)
            shift = self.math(f"= {self.n(delta[name])}", size=SIZE.SMALL, color=pal.highlight)
            value, after = factor[name]
            low = self.math(f"{sign[name]} {paren(self.n(value))} {after}", size=SIZE.SMALL, color=pal.tangent)
            pair = VGroup(top, shift, low).arrange(DOWN, buff=0.14)  # three short lines: neighbours never meet
            self.graph.under(name, pair, ROWS_TOP - 0.55)
            self.play(Fade(pair), Indicate(self.graph.frame(name), color=pal.highlight), run_time=0.8)
            self.wait(0.5)
            shown.add(pair)
        ratio = delta["C"] / s.eps
        end = self.math(f"Delta C \\/ epsilon = {self.n(ratio)} approx partial C \\/ partial w_1 = {self.n(s.gradient[k])}", size=SIZE.SMALL, color=pal.good)  # fmt: skip
        end.move_to([0, ROWS_TOP - 1.65, 0])
        self.play(Fade(end), run_time=0.8)
        self.wait(1.5)
        self.nudge_rows = VGroup(shown, end)
        self.nudge_delta = delta

    # Section: one step for all parameters
    def one_step(self) -> None:
        """θ ← θ − η∇C for the four parameters; the boxes take the new values; C before and after."""
        pal, s = self.palette, self.story
        outcome = s.outcome()
        eta = self.n(s.lr)
        before, after = self.n(s.net.cost), self.n(s.after["C"])
        self.narrate("one step for all parameters", STEP_LINES[outcome], eta=eta, before=before, after=after)
        self.play(Fade(self.nudge_rows, out=True), *(Fade(group, out=True) for group in self.edge_labels), run_time=0.6)
        rows = VGroup()
        for k, name in enumerate(bp.PARAMETERS):
            d, out = s.precision(f"step {name}")
            text = f"{NAMES[name]} arrow.l {self.n(s.theta[k], d)} - {self.n(s.lr, d)} dot {paren(self.n(s.gradient[k], d))} = {self.n(s.after_theta[k], out)}"  # fmt: skip
            rows.add(self.math(text, size=SIZE.SMALL, color=pal.descent))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18).move_to([LEFT_X, ROWS_TOP, 0], aligned_edge=LEFT + np.array([0, 1, 0]))  # fmt: skip
        self.play(Fade(rows), run_time=0.8)
        new = {name: self.graph.value(name, self.boxed(name, s.after_theta[k], pal.descent)) for k, name in enumerate(bp.PARAMETERS)}  # fmt: skip
        self.play(*(Fade(self.values[n], out=True) for n in new), *(Fade(v) for v in new.values()), run_time=0.8)
        self.values |= new
        old, self.boxes = [self.values[n] for n in ("z", "a", "yhat", "C")], {}  # no edge label from here on
        self.forward_pass(s.after_theta, s.after, animate=False)
        late = [self.values[n] for n in ("z", "a", "yhat", "C")]
        self.play(*(Fade(v, out=True) for v in old), *(Fade(v) for v in late), run_time=0.8)
        colour = pal.good if outcome == "lower" else pal.warn
        costs = VGroup(self.math(f"C_\"before\" = {before}", size=SIZE.SMALL),
                       self.math(f"C_\"after\" = {after}", size=SIZE.SMALL, color=colour),
                       self.text(self.say(*VERDICT[outcome]), size=SIZE.SMALL, color=colour)).arrange(DOWN, aligned_edge=LEFT, buff=0.18)  # fmt: skip
        costs.move_to([COSTS_X, ROWS_TOP, 0], aligned_edge=LEFT + np.array([0, 1, 0]))
        self.play(Fade(costs), run_time=0.8)
        self.wait(2.0)
        self.step_rows, self.cost_rows = rows, costs

    # Section: summary
    def summary(self) -> None:
        self.narrate("summary", SUMMARY_LINES)
        cover = rollout.cover(self, self.palette.background)
        self.play(Fade(cover), run_time=0.8)
        self.remove(*(m for m in self.mobjects if m is not self._caption))
        s, pal = self.story, self.palette
        words = {"count": f"{self.count:,}", "eta": self.n(s.lr), "before": self.n(s.net.cost), "after": self.n(s.after["C"])}  # fmt: skip
        lines = [self.mixed(self.say(zh, en).format(**words), color=getattr(pal, colour))
                 for colour, zh, en in (*SUMMARY, OUTCOME_SUMMARY[s.outcome()])]  # fmt: skip
        self.show_summary(*lines, line_pause=0.8, hold=2.5)


VERDICT = {"lower": ("代价降低了：这一步走下了坡", "lower: the step went downhill"), "higher": ("代价升高了：η 太大", "higher: η is too large"), "same": ("代价几乎不变：η 太小", "unchanged: η is too small")}  # fmt: skip


def trouble(p, suggest: bool) -> str | None:
    """What keeps ``p`` from teaching (key, reason and, if ``suggest``, a change checked to be accepted), or None."""
    problem = gradcore.regression.data_problem(p.data_x, p.data_y, [DATA_LIMIT, DATA_LIMIT], DATA_LIMIT)
    if problem is not None and problem[0] != "start":
        return f"key 'data_{problem[0]}': {problem[1].replace('try x =', 'try data_x =').replace('y = [', 'data_y = [')}"  # fmt: skip
    if bp.regression_precision(p.data_x, p.data_y) is None:
        return "key 'data_x': no rounding up to 8 decimals makes the normal equations agree on screen; try data_x = [1, 2, 3, 4] and data_y = [3, 5, 7, 9]"  # fmt: skip
    story, x = teach(p), float(p.sample[0])
    z, yhat = story.net.value("z"), story.net.value("yhat")
    unit = [{"b1": 1.0 - p.w1 * x}, {"w1": 0.9 / x, "b1": 0.1} if abs(x) > 0.05 else {"b1": 1.0}]  # z = 1  # fmt: skip
    if p.activation == "relu" and abs(z) < 1e-9:
        return "key 'b1': z = w₁x + b₁ = 0 sits on ReLU's kink, where it has no slope" + way(p, suggest, unit)
    if p.activation == "sigmoid" and abs(z) > SATURATED:
        return f"key 'b1': z = w₁x + b₁ = {fmt(z)} saturates σ (σ′(z) = {story.net.local('a', 'z'):.1e})" + way(p, suggest, unit)  # fmt: skip
    if story.net.cost < 1e-12:
        moved = {"sample": [x, yhat - np.copysign(1.0, yhat - 0.5)]}  # y one unit towards 0.5: within ±10
        return "key 'sample': the network already predicts y exactly (C = 0), nothing to learn" + way(p, suggest, [moved])  # fmt: skip
    if rows := story.unrounded():
        rounder = [{k: round(float(p[k]), 1)} for k in bp.PARAMETERS] + [{"w2": 0.8, "b2": 0.3}] + unit
        return f"key 'w1': no rounding up to 8 decimals makes the row '{rows[0]}' agree on screen" + way(p, suggest, rounder)  # fmt: skip
    if wrong := story.disagreeing():
        kink = " (the nudge crosses ReLU's kink at z = 0)" if p.activation == "relu" and abs(z) <= abs(x) * p.eps else ""  # fmt: skip
        tries = [{"eps": e} for e in EPS_TRIES] + unit
        return f"key 'eps': ε = {p.eps:g} measures a slope for {wrong[0]} that differs from the chain rule's at the digits shown{kink}" + way(p, suggest, tries)  # fmt: skip
    return None


def way(p, suggest: bool, changes: list[dict]) -> str:
    """``; try k = v`` for the first change (values rounded as written) that makes ``p`` teach; else the defaults."""
    if not suggest:
        return ""
    names = (*bp.PARAMETERS, "sample", "lr", "eps")
    for change in [*changes, {k: Backpropagation.parameters[k].default for k in names}]:
        change = {k: v if k == "eps" else np.round(v, 3).tolist() for k, v in change.items()}
        new = change != {k: np.round(p[k], 3).tolist() for k in change} and all(np.all(np.abs(v) <= LIMIT) for v in change.values())  # fmt: skip
        if new and trouble(SceneParams(Backpropagation.config_table, {**p, **change}, dict(p.raw)), suggest=False) is None:  # fmt: skip
            return "; try " + " and ".join(f"{k} = {v:g}" if np.ndim(v) == 0 else f"{k} = [{v[0]:g}, {v[1]:g}]" for k, v in change.items())  # fmt: skip
    return ""


def teach(p, eps: float | None = None) -> bp.Lesson:
    """The clip's numbers for the parameters ``p`` (see :func:`gradcore.backprop.lesson`)."""
    x, y = (float(v) for v in p.sample)
    return bp.lesson([p.w1, p.b1, p.w2, p.b2], x, y, p.activation, p.lr, p.eps if eps is None else eps)


__all__ = ["Backpropagation"]
