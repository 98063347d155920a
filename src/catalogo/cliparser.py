"""argparse in Spanish: help, usage lines and errors, with a «¿Quisiste decir…?» for a
mistyped command or value.

argparse writes its own words in English ("usage:", "the following arguments are
required", "invalid choice"). Editors read Spanish, so this parser writes its own headings
and turns each argparse error into a Spanish sentence. An error it does not know keeps
argparse's words, marked as such, after a Spanish lead.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from catalogo.problems import suggest

HELP_TEXT = "muestra esta ayuda y termina"


class SpanishHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Spanish «uso:» line."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class SpanishParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Spanish. Sub-commands made with
    add_subparsers() are SpanishParsers too (argparse uses the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SpanishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {translate(message, self)}\n")


def command_names(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Every command name the parser knows (English and Spanish), with its main name."""
    names: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            by_parser: dict[int, str] = {}
            for name, sub in action.choices.items():
                main = by_parser.setdefault(id(sub), name)
                names[name] = main
    return names


def option_names(parser: argparse.ArgumentParser) -> set[str]:
    """Every long option of the parser and of its commands: argparse reports an unknown
    option from the top-level parser, whichever command it was typed after."""
    names: set[str] = set()
    for action in parser._actions:
        names.update(name for name in action.option_strings if name.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                names.update(option_names(sub))
    return names


def describe_commands(parser: argparse.ArgumentParser) -> str:
    """«serve (servir), build (construir), ...» for messages."""
    aliases: dict[str, list[str]] = {}
    for name, main in command_names(parser).items():
        aliases.setdefault(main, [])
        if name != main:
            aliases[main].append(name)
    return ", ".join(
        f"{main} ({', '.join(others)})" if others else main for main, others in aliases.items()
    )


def _literal(text: str) -> str:
    """The value argparse quoted with repr(), as the editor typed it."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return str(value)


def _choices(text: str) -> list[str]:
    return [_literal(part.strip()) for part in text.split(",") if part.strip()]


def _argument(name: str) -> str:
    return "el comando" if name in ("comando", "command") else f"la opción {name}"


TYPE_NAMES = {"int": "un número entero", "float": "un número", "Path": "una ruta"}


def translate(message: str, parser: argparse.ArgumentParser) -> str:
    """A Spanish sentence for one of argparse's error messages."""
    found = re.fullmatch(r"argument (?P<name>.+?): (?P<rest>.*)", message, re.DOTALL)
    if found:
        return _translate_argument(found["name"], found["rest"], parser)
    if message.startswith("the following arguments are required: "):
        missing = message.split(": ", 1)[1]
        if missing in ("comando", "command"):
            return f"falta el comando. Comandos: {describe_commands(parser)}"
        return f"faltan argumentos obligatorios: {missing}"
    if message.startswith("unrecognized arguments: "):
        extra = message.split(": ", 1)[1]
        options = option_names(parser)
        guesses = "".join(
            suggest(word.split("=", 1)[0], options) for word in extra.split() if word[:2] == "--"
        )
        return f"argumentos no reconocidos: {extra}.{guesses} Revisa la ayuda con «--help»"
    found = re.fullmatch(r"ambiguous option: (\S+) could match (.*)", message)
    if found:
        return f"la opción {found[1]} es ambigua: puede ser {found[2]}; escríbela completa"
    found = re.fullmatch(r"unexpected option string: (.*)", message)
    if found:
        return f"opción inesperada: {found[1]}"
    return f"los argumentos no son válidos (argparse dice: {message})"


def _translate_argument(name: str, rest: str, parser: argparse.ArgumentParser) -> str:
    found = re.fullmatch(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)", rest)
    if found:
        value = _literal(found["value"])
        if name in ("comando", "command"):
            names = command_names(parser)
            guess = suggest(value, names)
            return f"«{value}» no es un comando.{guess} Comandos: {describe_commands(parser)}"
        choices = _choices(found["choices"])
        shown = ", ".join(f"«{choice}»" for choice in choices)
        return f"«{value}» no es un valor válido para {name}.{suggest(value, choices)} Valores: {shown}"
    found = re.fullmatch(r"invalid (?P<type>\w+) value: (?P<value>.*)", rest)
    if found:
        kind = TYPE_NAMES.get(found["type"], "un valor válido")
        return f"{_argument(name)} espera {kind}, no «{_literal(found['value'])}»"
    if rest == "expected one argument":
        return f"{_argument(name)} necesita un valor, por ejemplo {name} ..."
    if rest.startswith("expected at "):
        return f"{_argument(name)} no tiene el número de valores que espera"
    found = re.fullmatch(r"not allowed with argument (.*)", rest)
    if found:
        return f"{_argument(name)} no se puede usar junto con {found[1]}"
    found = re.fullmatch(r"ignored explicit argument (.*)", rest)
    if found:
        return f"{_argument(name)} no lleva valor (sobra {_literal(found[1])})"
    return f"{_argument(name)} no es válida (argparse dice: {rest})"
