"""The words the search page needs besides Pagefind's index: the words with «ñ» (Pagefind
folds «ñ» into «n», so «nino» is shown the results for «niño» with a line saying so), and
the catalog's words, most frequent first, offered when a query finds nothing."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.models import Record
from catalogo.searchdata import catalog_words, enie_words, render_words
from tests.support import EXAMPLE, page


def with_records(catalog: Catalog, *texts: tuple[str, str]) -> Catalog:
    records = tuple(
        Record.model_validate(
            {
                "id": f"r{n}",
                "seccion": "guias",
                "tipo": "guia",
                "titulo": title,
                "descripcion": text,
            }
        )
        for n, (title, text) in enumerate(texts)
    )
    return dataclasses.replace(catalog, records=records)


def test_the_words_with_enie_come_from_records_and_the_catalogs_own_texts() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    made = with_records(
        catalog,
        ("Atención a NIÑAS y niños", "Para la Compañía."),
        # «ñ» written as «n» and a combining tilde, as some PDFs give it
        ("Señales", "La campan\u0303a del an\u0303o."),
    )
    words = enie_words(made)
    assert {"niñas", "niños", "compañía", "señales", "campaña", "año"} <= set(words)
    assert words == sorted(words) and all(word == word.lower() for word in words)
    assert "atención" not in words


def test_catalog_words_are_the_longer_words_most_frequent_first() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    made = with_records(
        catalog,
        ("Trata de personas", "Guía sobre trata: la trata y sus víctimas."),
        ("Víctimas de trata", "Atención a víctimas en 2024."),
    )
    words = catalog_words(made)
    assert words[:2] == ["trata", "víctimas"]  # 5 and 3 times
    assert "de" not in words and "sus" not in words, "words of four letters or more"
    assert "2024" not in words
    assert json.loads(render_words(made)) == words


def test_the_site_holds_the_words_the_search_page_uses(
    shipped_site: Path, shipped_catalog: Catalog
) -> None:
    words = json.loads((shipped_site / "buscar" / "palabras.json").read_text(encoding="utf-8"))
    assert words == catalog_words(shipped_catalog) and "trata" in words[:10]
    found = re.search(r'data-enie="([^"]*)"', page(shipped_site, "buscar/"))
    assert found, "the search page carries the words with «ñ»"
    assert json.loads(html.unescape(found.group(1))) == enie_words(shipped_catalog)
    assert "niños" in enie_words(shipped_catalog)
