"""The one rule for invisible characters, and how messages show them."""

from __future__ import annotations

import sys
import unicodedata

from catalogo.invisible import INVISIBLE, show_invisible


def test_the_invisible_rule_covers_every_unicode_control_and_format_character() -> None:
    allowed = {"\t", "\n", "\r"}
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        hidden = unicodedata.category(character) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        if hidden and character not in allowed:
            assert INVISIBLE.fullmatch(character), f"U+{code:04X}"
        elif not hidden and unicodedata.category(character) != "Cn":  # newer Unicode may add some
            assert not INVISIBLE.fullmatch(character), f"U+{code:04X}"


def test_messages_show_invisible_characters_and_stray_bytes_as_escapes() -> None:
    assert show_invisible("guía de prueba.yaml") == "guía de prueba.yaml"
    assert show_invisible("a\u202eb\tc") == "a\\u202eb\\tc"
    assert show_invisible("nombre\udce9.yaml") == "nombre\\xe9.yaml"
    assert show_invisible("a\u00a0b") == "a\u00a0b", "a no-break space is visible enough"
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if unicodedata.category(character) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert show_invisible(character) != character, f"U+{code:04X}"
