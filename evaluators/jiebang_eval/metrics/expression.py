"""A safe arithmetic expression language for composite contest scores.

Organisers write e.g. ``psnr*2*0.5 + ssim*100*0.5``. The text is parsed with
:mod:`ast` and only these nodes are accepted: numbers, metric names,
``+ - * / **``, unary minus/plus, parentheses and calls to ``min``, ``max``,
``abs`` and ``log10``. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "log10": math.log10,
}
_MAX_LENGTH = 500


class ExpressionError(ValueError):
    """The expression text is not in the allowed language."""


@dataclass(frozen=True)
class CompiledExpression:
    """A validated expression; evaluate it with :meth:`evaluate`."""

    text: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, float]) -> float:
        """Value of the expression with each name replaced by ``values[name]``."""
        missing = self.names - values.keys()
        if missing:
            raise ExpressionError(f"no value for {', '.join(sorted(missing))}")
        try:
            result = _evaluate_node(self.tree.body, values)
        except (ZeroDivisionError, OverflowError, ValueError) as exc:
            raise ExpressionError(f"cannot evaluate {self.text!r}: {exc}") from exc
        if isinstance(result, complex) or not math.isfinite(result):
            raise ExpressionError(f"{self.text!r} is not a finite real number here")
        return float(result)


def compile_expression(text: str, *, allowed_names: Collection[str]) -> CompiledExpression:
    """Parse and validate ``text``; names must come from ``allowed_names``.

    Raises
    ------
    ExpressionError
        Syntax error, a forbidden construct, or an unknown name.
    """
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in {text!r}: {exc.msg}") from exc
    names: set[str] = set()
    _check_node(tree.body, frozenset(allowed_names), names)
    return CompiledExpression(text=text, tree=tree, names=frozenset(names))


def _check_node(node: ast.AST, allowed: frozenset[str], names: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"only numbers are allowed as constants, got {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in allowed:
            raise ExpressionError(
                f"unknown name {node.id!r}; allowed: {', '.join(sorted(allowed))}"
            )
        names.add(node.id)
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check_node(node.left, allowed, names)
        _check_node(node.right, allowed, names)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check_node(node.operand, allowed, names)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
            raise ExpressionError("only min(), max(), abs() and log10() may be called")
        if not node.args:
            raise ExpressionError(f"{node.func.id}() needs an argument")
        for arg in node.args:
            _check_node(arg, allowed, names)
    else:
        raise ExpressionError(f"{type(node).__name__} is not allowed in a score expression")


def _evaluate_node(node: ast.AST, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(values[node.id])
    if isinstance(node, ast.BinOp):
        left = _evaluate_node(node.left, values)
        right = _evaluate_node(node.right, values)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate_node(node.operand, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return float(_FUNCTIONS[node.func.id](*(_evaluate_node(a, values) for a in node.args)))
    raise ExpressionError(f"{type(node).__name__} is not allowed")  # unreachable after checks
