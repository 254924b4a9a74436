"""The decision tree as readable rules, and those rules evaluated on plain rows.

Spark's DecisionTreeClassificationModel.toDebugString names features by index ("feature 3 <= 2.9")
and categories by their StringIndexer index ("feature 0 in {0.0,2.0}"). `readable_rules` puts the
column names and transaction types back, so an analyst can read why a transaction was flagged;
`predict_with_rules` applies the text to rows, which is how the tests prove the text is the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_NUMERIC = re.compile(
    r"^(?P<indent>\s*)(?P<word>If|Else) \(feature (?P<index>\d+) (?P<op><=|>) (?P<value>\S+)\)$"
)
_CATEGORY = re.compile(
    r"^(?P<indent>\s*)(?P<word>If|Else) \(feature (?P<index>\d+) (?P<op>in|not in) \{(?P<values>[^}]*)\}\)$"
)
_PREDICT = re.compile(r"^(?P<indent>\s*)Predict: (?P<value>\S+)$")
_READABLE_NUMERIC = re.compile(r"^(?P<word>If|Else) (?P<name>\w+) (?P<op><=|>) (?P<value>\S+)$")
_READABLE_CATEGORY = re.compile(r"^(?P<word>If|Else) (?P<name>\w+) (?P<op>in|not in) \{(?P<values>[^}]*)\}$")
_READABLE_PREDICT = re.compile(r"^Predict: (?P<label>fraud|not fraud)$")


def readable_rules(
    debug_string: str, feature_names: Sequence[str], categories: Mapping[int, Sequence[str]]
) -> str:
    """The tree of `debug_string` with feature names and category labels, one condition per line.

    `categories` maps the index of each categorical feature to its labels in StringIndexer order.
    Lines are indented two spaces per level; leaves read "Predict: fraud" or "Predict: not fraud".
    """
    lines = []
    for raw in debug_string.splitlines()[1:]:  # the first line is the model's summary
        if not raw.strip():
            continue
        if match := _NUMERIC.match(raw):
            name = feature_names[int(match["index"])]
            text = f"{match['word']} {name} {match['op']} {match['value']}"
        elif match := _CATEGORY.match(raw):
            labels = categories[int(match["index"])]
            values = [labels[int(float(v))] for v in match["values"].split(",") if v]
            text = (
                f"{match['word']} {feature_names[int(match['index'])]} {match['op']} {{{', '.join(values)}}}"
            )
        elif match := _PREDICT.match(raw):
            text = f"Predict: {'fraud' if float(match['value']) == 1.0 else 'not fraud'}"
        else:
            raise ValueError(f"unexpected line in the tree's debug string: {raw!r}")
        depth = len(match["indent"]) - 2  # Spark indents the root by two spaces, each level by one more
        lines.append("  " * max(depth, 0) + text)
    return "\n".join(lines)


@dataclass
class _Node:
    condition: tuple[str, str, object] | None = None  # (feature, operator, value) of the If branch
    prediction: int | None = None
    if_true: _Node | None = None
    if_false: _Node | None = None


def parse_rules(text: str) -> _Node:
    """The tree of a readable_rules text."""
    lines = [(len(line) - len(line.lstrip()), line.strip()) for line in text.splitlines() if line.strip()]
    node, position = _parse(lines, 0)
    if position != len(lines):
        raise ValueError("trailing lines after the tree")
    return node


def _parse(lines: list[tuple[int, str]], position: int) -> tuple[_Node, int]:
    _, text = lines[position]
    if match := _READABLE_PREDICT.match(text):
        return _Node(prediction=int(match["label"] == "fraud")), position + 1
    if_match = _READABLE_NUMERIC.match(text) or _READABLE_CATEGORY.match(text)
    if not if_match or if_match["word"] != "If":
        raise ValueError(f"expected an If line, got {text!r}")
    if if_match.re is _READABLE_NUMERIC:
        condition = (if_match["name"], if_match["op"], float(if_match["value"]))
    else:
        condition = (
            if_match["name"],
            if_match["op"],
            frozenset(v.strip() for v in if_match["values"].split(",")),
        )
    if_true, position = _parse(lines, position + 1)
    if not lines[position][1].startswith("Else"):
        raise ValueError(f"expected an Else line, got {lines[position][1]!r}")
    if_false, position = _parse(lines, position + 1)
    return _Node(condition=condition, if_true=if_true, if_false=if_false), position


def predict_with_rules(text: str, rows: Sequence[Mapping[str, object]]) -> list[int]:
    """Apply a readable_rules text to rows (mappings of feature name to value): 1 = fraud, 0 = not."""
    tree = parse_rules(text)
    return [_predict(tree, row) for row in rows]


def _predict(node: _Node, row: Mapping[str, object]) -> int:
    while node.prediction is None:
        name, operator, value = node.condition
        holds = float(row[name]) <= value if operator == "<=" else (row[name] in value) == (operator == "in")
        node = node.if_true if holds else node.if_false
    return node.prediction
