"""A YAML file's text line by line, as the editor sees it, and what the rules that explain
its syntax errors share: where a key starts, how deep a line is indented, how a value is
written between quotes, the lines PyYAML's marks point at (yamlsyntax.py, yamlquotes.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

LINE_BREAK = re.compile(r"\r\n|\r|\n")
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*) *:(?:[ \t]+|$)(?P<value>.*)$")
Diagnosis = tuple[int, str]  # the line to change (1-based) and the message


@dataclass(frozen=True)
class Source:
    """The text of a file, line by line, as the editor sees it."""

    lines: list[str]

    @classmethod
    def of(cls, text: str) -> Source:
        return cls(LINE_BREAK.split(text))  # YAML's own line breaks, as its marks count them

    def text(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def previous_content(self, number: int) -> int | None:
        """The nearest line above `number` that is neither blank nor a comment."""
        for above in range(number - 1, 0, -1):
            stripped = self.text(above).strip()
            if stripped and not stripped.startswith("#"):
                return above
        return None

    def owner(self, number: int) -> int | None:
        """The nearest key line above `number` indented no deeper than it: the key whose
        value the line belongs to."""
        depth = indent(self.text(number))
        for above in range(number - 1, 0, -1):
            line = self.text(above)
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if indent(line) <= depth and KEY_LINE.match(line):
                return above
        return None


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def key_column(line: str) -> int:
    """Where the key of `line` starts (after a list dash, if any)."""
    found = KEY_LINE.match(line)
    if not found:
        return indent(line)
    return len(found["indent"]) + len(found["dash"] or "")


def spaces(count: int) -> str:
    if count == 0:
        return "sin espacios delante"
    return f"con {count} espacio{'s' if count != 1 else ''} delante"


def double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def without_comment(value: str) -> str:
    return re.split(r"\s#", value, maxsplit=1)[0].rstrip()


def error_marks(error: yaml.MarkedYAMLError) -> tuple[int, int, int, int]:
    """(context line, context column, problem line, problem column), lines from 1."""
    context, problem = error.context_mark, error.problem_mark
    return (
        context.line + 1 if context else 0,
        context.column if context else 0,
        problem.line + 1 if problem else 0,
        problem.column if problem else 0,
    )
