"""The catalog's own files as pydantic models (vocabularies, sections, series, what the
catalog is, the ways to explore it, the publishing settings) and the Catalog they make
with the records. No I/O here.

Vocabulary values are checked against the catalog's own vocabulary files by the loader,
not here, so an editor can add a value without touching code.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from catalogo.models import SLUG, Record, Slug, Strict, Text, Years
from catalogo.problems import list_choices, suggest
from catalogo.urls import BaseUrlError, normalize_base, normalize_origin

GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
MEDIA_TYPE_PATTERN = r"^[a-z0-9][a-z0-9.+_-]*/[a-z0-9][a-z0-9.+_-]*$"
# The vocabularies whose values can have browse pages (_explorar.yaml), besides years.
BROWSE_VOCABULARIES = ("tipos", "publicos", "instituciones", "idiomas", "anios", "series")


class VocabularyEntry(Strict):
    """One value of a vocabulary: its id is the key in the vocabulary file."""

    nombre: Text = Field(description="Nombre que ve el lector.")
    plural: Text | None = Field(default=None, description="Nombre en plural, para listados.")
    descripcion: str | None = Field(default=None, description="Explicación breve (Markdown).")


class AudienceEntry(VocabularyEntry):
    incluye: list[Slug] = Field(
        default_factory=list,
        description="Públicos que este abarca (p. ej. operadores de justicia incluye policia, "
        "fiscalia, jueces y defensa-publica): la página de cada uno lista también los "
        "recursos dirigidos a este.",
    )


def audience_members(audiences: Mapping[str, AudienceEntry], key: str) -> set[str]:
    """Every audience that `key` includes, directly or through another one."""
    found: set[str] = set()
    pending = list(audiences[key].incluye) if key in audiences else []
    while pending:
        member = pending.pop()
        if member in found or member not in audiences:
            continue
        found.add(member)
        pending.extend(audiences[member].incluye)
    return found


class TypeEntry(VocabularyEntry):
    schema_org: Text = Field(
        default="CreativeWork",
        description="Tipo de schema.org para buscadores (Report, Book, VideoObject...).",
    )
    csl: Text = Field(default="document", description="Tipo CSL para gestores de citas.")
    bibtex: Text = Field(default="misc", description="Tipo BibTeX (misc, book, techreport...).")
    ris: Text = Field(default="GEN", description="Tipo RIS (GEN, RPRT, BOOK, VIDEO...).")


class InstitutionEntry(VocabularyEntry):
    siglas: Text | None = Field(default=None, description="Siglas, p. ej. «PNP».")


class FormatEntry(VocabularyEntry):
    etiqueta: Text = Field(description="Texto del botón, p. ej. «Descargar PDF».")
    tipos_mime: list[Text] = Field(
        default_factory=list,
        description="Tipos de contenido (Content-Type) de este formato, p. ej. "
        "application/pdf: con ellos el sitio nombra lo que «links» encontró en la dirección.",
    )


class LanguageEntry(VocabularyEntry):
    pass


class Section(Strict):
    """A section of the catalog: one folder of records."""

    titulo: Text = Field(description="Título completo de la sección.")
    nombre_corto: Text = Field(
        description="Nombre breve para menús, en palabras del lector, p. ej. "
        "«Investigación y sanción»."
    )
    rotulo: Text | None = Field(
        default=None,
        description="Texto secundario que acompaña al nombre, p. ej. «Objetivo 1».",
    )
    descripcion: str | None = Field(default=None, description="Presentación (Markdown).")
    orden: int = Field(ge=1, description="Posición en el menú y en la portada.")


class Series(Strict):
    """A group of records published together (bulletins, checklists, volumes, spots)."""

    titulo: Text = Field(description="Título de la serie.")
    seccion: Slug = Field(description="Sección a la que pertenece la serie.")
    descripcion: str | None = Field(
        default=None, description="Descripción común a todos sus registros (Markdown)."
    )
    anio: Years = Field(default=None, description="Año o años de la serie.")
    notas_editoriales: list[Text] = Field(default_factory=list)


class MissingValue(Strict):
    """The page of the records without a value (the records without a year)."""

    ruta: Slug = Field(description="Carpeta de la página, p. ej. «sin-anio».")
    nombre: Text = Field(description="Nombre de la página, p. ej. «Sin fecha de publicación».")
    nota: Text | None = Field(default=None, description="Texto breve en la lista de valores.")
    introduccion: Text | None = Field(default=None, description="Presentación de la página.")

    @field_validator("ruta")
    @classmethod
    def _check_folder(cls, value: str) -> str:
        return check_slug(value)


BROWSE_PLACES = ("menu", "pie")  # where every page links a browse page (templates/base.html)


def check_choice(value: str, choices: tuple[str, ...], code: str, sentence: str) -> str:
    """`value` if it is one of `choices`; else a Spanish error: `sentence` (which may name
    «{valor}»), a suggestion and the valid values."""
    if value in choices:
        return value
    raise PydanticCustomError(
        code,
        sentence + "{sugerencia} Valores válidos: {validos}",
        {"valor": value, "sugerencia": suggest(value, choices), "validos": list_choices(choices)},
    )


class BrowsePage(Strict):
    """A way to explore the catalog (catalog/_explorar.yaml): a page listing the values of
    one vocabulary, and one page per value with its records. Its key is its folder."""

    vocabulario: Slug = Field(
        description="Qué se explora: tipos, publicos, instituciones, idiomas, anios o series."
    )
    titulo: Text = Field(description="Título de la página que lista los valores.")
    introduccion: Text = Field(description="Presentación de esa página.")
    miga: Text | None = Field(
        default=None,
        description="Nombre de la página en las migas de pan de cada valor (por defecto, el "
        "título), p. ej. «Por tipo».",
    )
    rotulo: Text | None = Field(
        default=None,
        description="Texto secundario antes del nombre de cada valor en su página, p. ej. "
        "«Recursos para».",
    )
    encabezado: Text | None = Field(
        default=None,
        description="Título de la página de cada valor, donde {nombre} es el valor, p. ej. "
        "«Recursos de {nombre}» (por defecto, el nombre).",
    )
    sin_valor: MissingValue | None = Field(
        default=None,
        description="Página de los recursos sin ningún valor (p. ej. sin año); sin esta clave "
        "no se listan.",
    )
    enlace: str | None = Field(
        default=None,
        description="Dónde la enlaza cada página: «menu» (el menú de la cabecera) o «pie» (el "
        "pie de página); sin esta clave, solo la enlazan las plantillas que la nombran.",
    )

    @field_validator("vocabulario")
    @classmethod
    def _check_vocabulary(cls, value: str) -> str:
        return check_choice(
            value, BROWSE_VOCABULARIES, "vocabulario_explorable", "«{valor}» no se puede explorar."
        )

    @field_validator("enlace")
    @classmethod
    def _check_place(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return check_choice(
            value, BROWSE_PLACES, "lugar_del_enlace", "«{valor}» no es un lugar para el enlace."
        )

    @property
    def breadcrumb(self) -> str:
        return self.miga or self.titulo

    def heading(self, name: str) -> str:
        """The heading of a value's page."""
        return self.encabezado.replace("{nombre}", name) if self.encabezado else name


def check_slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise PydanticCustomError(
            "identificador",
            "«{valor}» no es un identificador válido; usa minúsculas sin tildes, cifras y "
            "guiones",
            {"valor": value},
        )
    return value


class CatalogInfo(Strict):
    """What the catalog is: feeds the home and about pages (catalog/_catalogo.yaml)."""

    titulo: Text
    subtitulo: Text | None = None
    editor: Text = Field(description="Quién publica el catálogo, para citas y metadatos.")
    editor_siglas: Text | None = None
    introduccion: str = Field(description="Presentación del catálogo (Markdown).")
    nota_reuso: Text = Field(description="Condiciones de uso y cita de los recursos.")
    creditos: str = Field(description="Créditos (Markdown), en el pie y en «Acerca».")
    linea_denuncia: Text = Field(description="Texto de denuncia del pie de página.")
    idioma: Slug = "es"
    sinonimos: list[list[Text]] = Field(
        default_factory=list,
        description="Grupos de palabras equivalentes para el buscador, p. ej. "
        "[NNA, niñas niños y adolescentes].",
    )


class SiteSettings(Strict):
    """Publishing settings (site.yaml): where the site lives."""

    url: str = Field(
        default="http://127.0.0.1:8000",
        description="Dirección pública del sitio, sin la ruta base (para enlaces canónicos).",
    )
    ruta_base: str = Field(default="/", description="Ruta bajo la que se publica, p. ej. /repo/.")
    novedades: int = Field(default=20, ge=1, description="Registros en el canal Atom.")
    repositorio: str | None = Field(
        default=None,
        description="Repositorio de GitHub del catálogo (usuario/proyecto), donde guarda el "
        "editor en el navegador (/admin/).",
    )
    rama: str = Field(default="main", description="Rama que edita el editor en el navegador.")

    @field_validator("url")
    @classmethod
    def _check_site_url(cls, value: str) -> str:
        return _site_address(value, normalize_origin)

    @field_validator("ruta_base")
    @classmethod
    def _check_base_path(cls, value: str) -> str:
        return _site_address(value, normalize_base)

    @field_validator("repositorio")
    @classmethod
    def _check_repository(cls, value: str | None) -> str | None:
        if value is not None and not GITHUB_REPOSITORY.fullmatch(value):
            raise PydanticCustomError(
                "repositorio",
                "«{valor}» no es un repositorio de GitHub; escribe usuario/proyecto, p. ej. "
                "oit-lima/catalogo-trata",
                {"valor": value},
            )
        return value


def _site_address(value: str, normalize: Callable[[str], str]) -> str:
    try:
        return normalize(value)
    except BaseUrlError as error:
        raise PydanticCustomError("direccion_sitio", str(error)) from error


class LinkFact(BaseModel):
    """What one URL answered the last time `links` found it working (catalog/_enlaces.yaml,
    written and read by linkfacts.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tipo: str | None = Field(default=None, pattern=MEDIA_TYPE_PATTERN)
    bytes: int | None = Field(default=None, ge=1)
    comprobado: datetime.date
    final: str | None = None


@dataclass(frozen=True)
class Vocabularies:
    tipos: dict[str, TypeEntry]
    publicos: dict[str, AudienceEntry]
    instituciones: dict[str, InstitutionEntry]
    idiomas: dict[str, LanguageEntry]
    formatos: dict[str, FormatEntry]


@dataclass(frozen=True)
class Catalog:
    """Everything the site is made of, validated and cross-checked."""

    info: CatalogInfo
    sections: dict[str, Section]
    series: dict[str, Series]
    vocabularies: Vocabularies
    records: tuple[Record, ...]
    # What `links` found at each address (catalog/_enlaces.yaml); empty without that file.
    link_facts: Mapping[str, LinkFact] = field(default_factory=dict)
    # Ways to explore the catalog, by folder (catalog/_explorar.yaml); none without it.
    browse: Mapping[str, BrowsePage] = field(default_factory=dict)

    def browse_path(self, vocabulary: str, value: str | int) -> str | None:
        """The page of one value of a vocabulary (`tipos/guia/`), if it has browse pages."""
        for folder, page in self.browse.items():
            if page.vocabulario == vocabulary:
                return f"{folder}/{value}/"
        return None

    def record(self, record_id: str) -> Record:
        for record in self.records:
            if record.id == record_id:
                return record
        raise KeyError(record_id)
