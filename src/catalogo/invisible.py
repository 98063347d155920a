"""The one rule for characters an editor cannot see, its Spanish message, and how a
message shows them.

Control characters (C0 but tab and line breaks, DEL, C1), Unicode format characters
(bidirectional overrides and isolates, which can make a text read differently from what it
says, the "Trojan Source" attack; zero-width spaces and joiners; soft hyphens; a BOM inside
the text), line and paragraph separators (YAML counts them as line breaks, editors do not
show them: they would shift every line number below), lone surrogates and the
non-characters U+FFFE and U+FFFF. A catalog file may hold none of them (yamlfile.py refuses
them with invisible_message), and a message never prints one as it is (show_invisible):
file names and quoted values show them as escapes. tests/test_invisible.py checks the rule
against the Unicode database.
"""

from __future__ import annotations

import re

# In the file and in values: a double-quoted escape such as "\u202e" makes one without
# writing it.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff"
    "\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_SEPARATORS = frozenset("\x85\u2028\u2029")
CHARACTER_NAMES = {
    "\u200b": "espacio de ancho cero",
    "\u200c": "separador de ancho cero",
    "\u200d": "unión de ancho cero",
    "\u2060": "unión de palabras invisible",
    "\ufeff": "marca BOM en medio del texto",
    "\xad": "guion suave invisible",
}
# Besides those, a message escapes the tab and line breaks a file name may hold.
BREAKS = frozenset("\t\n\r")


def invisible_message(where: str, character: str, column: int | None = None) -> str:
    """What an invisible character is and where, in Spanish (the one message of INVISIBLE)."""
    code = f"U+{ord(character):04X}"
    place = f" en la columna {column}" if column else ""
    if character in LINE_SEPARATORS:
        return (
            f"{where} contiene un salto de línea especial ({code}){place} que los editores no "
            "muestran; bórralo y, si hace falta, usa un salto de línea normal (suele llegar al "
            "copiar y pegar desde un PDF o un procesador de textos)"
        )
    if character in BIDI_CONTROLS:
        return (
            f"{where} contiene un carácter invisible no permitido ({code}){place}: cambia la "
            "dirección del texto, de modo que se lee algo distinto de lo que está escrito "
            "(el ataque «Trojan Source»); bórralo"
        )
    name = CHARACTER_NAMES.get(character)
    what = f", {name}" if name else ""
    origin = "" if where == "el archivo" else ", o de una «\\» entre comillas dobles"
    return (
        f"{where} contiene un carácter invisible no permitido ({code}{what}){place}; bórralo "
        f"(suele llegar al copiar y pegar desde un PDF o un procesador de textos{origin})"
    )


def show_invisible(text: str) -> str:
    """`text` with what an editor cannot see written as escapes (`\\u202e`, `\\t`), and
    the bytes of a file name that were not UTF-8 as `\\xNN`: a message must never break the
    terminal, a GitHub annotation or the printing itself."""
    if text.isprintable():
        return text
    shown = []
    for character in text:
        if "\udc80" <= character <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
            shown.append(f"\\x{ord(character) - 0xDC00:02x}")
        elif character in BREAKS or INVISIBLE.match(character):
            shown.append(repr(character)[1:-1])
        else:
            shown.append(character)  # spaces such as U+00A0 are fine in a message
    return "".join(shown)
