"""Chapter titles: a step's name as a reader of the lecture's language sees it.

Section names are the English step names of the storyboards ("the dot product");
the published page, the chapters track and the slide deck title a Chinese lecture's
chapters in Chinese. Every step of every clip has an entry (a test checks it).
"""

from __future__ import annotations

__all__ = ["TITLES", "title"]

# fmt: off
TITLES: dict[str, str] = {  # section name → Chinese chapter title
    "summary": "小结",
    # TangentArrow
    "curve": "曲线", "two ways to move": "两个方向", "the tangent": "切线",
    "the derivative as a vector": "导数是一个向量", "sweep": "沿曲线扫过", "one step downhill": "下坡一步",
    # DirectionalDerivative
    "surface and map": "曲面与地图", "every direction": "每一个方向", "slope along u": "沿 u 的斜率",
    "the dot product": "点积", "the cosine": "余弦", "at the bottom": "在谷底",
    # GradientField
    "the bowl": "碗形曲面", "flatten": "压平成地图", "right angles": "与等高线垂直", "downhill": "下坡",
    "many valleys": "多个山谷",
    # BallDescent
    "the landscape": "损失地形", "the valleys": "山谷", "one ball": "一个球", "many starts": "多个起点",
    "step size": "步长",
    # ParameterSpace
    "the flip": "角色互换", "data space": "数据空间", "one point, one line": "一个点，一条直线",
    "two components": "两个分量", "descent": "梯度下降", "update both at once": "同时更新",
    # Perceptron
    "the model": "模型", "the loss": "损失", "the gradient": "梯度", "one update": "一次更新", "training": "训练",
    # Optimizers
    "the narrow valley": "狭长的山谷", "momentum": "动量", "nesterov": "Nesterov 动量",
    "rmsprop and adam": "RMSProp 与 Adam", "the race": "比一比", "rolling on": "冲过浅谷",
    # StochasticDescent
    "many samples": "许多样本", "one gradient, many estimates": "一个梯度，许多估计", "three paths": "三条路径",
    "loss against samples": "损失与样本数", "settling down": "稳定下来",
    # Backpropagation
    "solve a tiny model": "小模型可以直接解", "13,002 parameters": "13,002 个参数", "the chain rule": "链式法则",
    "a tiny network": "一个小网络", "backward": "反向传播", "a nudge": "轻推一下",
    "one step for all parameters": "所有参数一起走一步",
}
# fmt: on


def title(section: str, language: str) -> str:
    """The chapter title of the step ``section`` in ``language``.

    Examples
    --------
    >>> title("the dot product", "zh"), title("the dot product", "en")
    ('点积', 'the dot product')
    >>> title("a step of my own", "zh")  # a step without an entry keeps its name
    'a step of my own'
    """
    return TITLES.get(section, section) if language == "zh" else section
