"""Arithmetic on named pint quantities from a written expression, refusing what units forbid.

Checks are data, so their arithmetic is text ("deaths / claim"). This evaluates such text with
the project's registry: + - * / and parentheses over names and numbers, nothing else (no calls,
no attributes), and says in words what is missing when the dimensions do not agree.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

import pint

from dashboard.units import Quantity, ureg

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv}
# Units to name a missing dimension with ("[time]" reads better as "year").
_PLAIN_UNITS = {"[time]": "year", "[length]": "kilometer", "[mass]": "kilogram"}


class UnitMismatch(ValueError):
    """Arithmetic the units forbid; the message names the dimension that is missing."""


def dimension_words(dimensionality) -> str:
    """"[vessel] / [time]" as the units a reader knows: "vessel / year"."""
    top = []
    bottom = []
    for dimension, power in sorted(dict(dimensionality).items()):
        name = _PLAIN_UNITS.get(dimension, dimension.strip("[]"))
        if name.startswith("currency_"):
            name = name.removeprefix("currency_")
        term = name if abs(power) == 1 else f"{name} ** {abs(power)}"
        (top if power > 0 else bottom).append(term)
    numerator = " * ".join(top) or "1"
    return numerator + (" / " + " / ".join(bottom) if bottom else "")


def evaluate(expression: str, names: Mapping[str, pint.Quantity]) -> pint.Quantity:
    """The value of `expression` over `names`; UnitMismatch when units forbid a step."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as err:
        raise ValueError(f"expression {expression!r} is not arithmetic: {err.msg}") from err
    return _evaluate(tree.body, names, expression)


def _evaluate(node: ast.AST, names: Mapping[str, pint.Quantity], text: str) -> pint.Quantity:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Quantity(node.value, "dimensionless")
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ValueError(f"expression {text!r} names {node.id!r}, which is not defined")
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, names, text)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left = _evaluate(node.left, names, text)
        right = _evaluate(node.right, names, text)
        try:
            return _OPERATORS[type(node.op)](left, right)
        except pint.DimensionalityError as err:
            raise UnitMismatch(
                f"{ast.unparse(node)!r} adds or subtracts {left.units} and {right.units}, "
                f"which differ by {dimension_words((left / right).dimensionality)}"
            ) from err
    raise ValueError(f"expression {text!r}: only + - * / ( ) names and numbers are allowed")


def convert(value: pint.Quantity, unit: str, what: str) -> pint.Quantity:
    """`value` in `unit`, or UnitMismatch naming the dimension that would make it so.

    For "lives per boat against deaths per year" (person / vessel over person / year, wanted as
    a plain number) the message says it needs a quantity in vessel / year: boats per year.
    """
    target = ureg.parse_units(unit)
    try:
        return value.to(target)
    except pint.DimensionalityError as err:
        missing = (Quantity(1, target) / value).dimensionality
        raise UnitMismatch(
            f"{what} is in {value.units}, not {unit}: it needs a further factor in "
            f"{dimension_words(missing)} (missing dimension "
            f"{', '.join(sorted(dict(missing)))})"
        ) from err
