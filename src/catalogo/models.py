"""The shape of every file in a catalog, as pydantic models. No I/O here.

YAML keys are Spanish because editors read them. Vocabulary values (types, audiences,
institutions, languages, link formats) are checked against the catalog's own vocabulary
files by the loader, not here, so an editor can add a value without touching code.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from catalogo.digests import digest, digest_text
from catalogo.problems import list_choices, suggest
from catalogo.urls import BaseUrlError, normalize_base, normalize_origin

if TYPE_CHECKING:
    from catalogo.linkfacts import LinkFact

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_YEAR = 1900
MAX_YEAR = 2100
WEB_SCHEMES = ("http", "https")
SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]

# What each vocabulary is called in messages, and the file that defines it.
VOCABULARY_NAMES: dict[str, tuple[str, str | None]] = {
    "tipos": ("un tipo conocido", "_tipos.yaml"),
    "publicos": ("un público conocido", "_publicos.yaml"),
    "instituciones": ("una institución conocida", "_instituciones.yaml"),
    "idiomas": ("un idioma conocido", "_idiomas.yaml"),
    "formatos": ("un formato conocido", "_formatos.yaml"),
    "series": ("una serie conocida", "_series.yaml"),
}
# Keys whose values are free text: a ` #` in them starts a YAML comment and silently cuts
# the text, which the loader reports (yamlfile.Document.cut_text_problems).
FREE_TEXT_KEYS = frozenset(
    {
        "titulo",
        "subtitulo",
        "descripcion",
        "etiqueta",
        "notas_editoriales",
        "original",
        "motivo",
        "sin_anio",
        "sin_descripcion",
        "nombre",
        "plural",
        "nombre_corto",
        "introduccion",
        "nota_reuso",
        "creditos",
        "linea_denuncia",
        "editor",
        "sinonimos",
        "miga",
        "rotulo",
        "encabezado",
        "nota",
    }
)
# The vocabularies whose values can have browse pages (_explorar.yaml), besides years.
BROWSE_VOCABULARIES = ("tipos", "publicos", "instituciones", "idiomas", "anios", "series")


def in_vocabulary(vocabulary: str) -> Callable[[str, ValidationInfo], str]:
    """A validator that accepts only the values of one of the catalog's vocabularies.

    The vocabularies come from the validation context (the loader passes them), so they
    stay data files an editor can extend; without a context every value passes.
    """
    what, file_name = VOCABULARY_NAMES[vocabulary]

    def check(value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        choices = context.get(vocabulary)
        if choices is None or value in choices:
            return value
        extend = f" (para añadir uno, edita {file_name})" if file_name else ""
        raise PydanticCustomError(
            "vocabulario",
            "«{valor}» no es {que}.{sugerencia} Valores válidos: {validos}{ampliar}",
            {
                "valor": value,
                "que": what,
                "sugerencia": suggest(value, choices),
                "validos": list_choices(choices, limit=30),
                "ampliar": extend,
            },
        )

    return check


TypeId = Annotated[Slug, AfterValidator(in_vocabulary("tipos"))]
AudienceId = Annotated[Slug, AfterValidator(in_vocabulary("publicos"))]
InstitutionId = Annotated[Slug, AfterValidator(in_vocabulary("instituciones"))]
LanguageId = Annotated[Slug, AfterValidator(in_vocabulary("idiomas"))]
FormatId = Annotated[Slug, AfterValidator(in_vocabulary("formatos"))]
SeriesId = Annotated[Slug, AfterValidator(in_vocabulary("series"))]
# Whether a related record exists is checked by the loader, which knows the record's own id
# (loader._check_related).
RecordId = Slug


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def check_year(value: int) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise PydanticCustomError(
            "anio_fuera_de_rango",
            "el año {valor} está fuera de rango; escribe un año de cuatro cifras entre "
            "{minimo} y {maximo}, por ejemplo 2021",
            {"valor": value, "minimo": MIN_YEAR, "maximo": MAX_YEAR},
        )
    return value


def parse_years(value: object) -> int | list[int] | None:
    """A year or a list of years, each checked; quoted digits are accepted as a year."""
    if value is None:
        return None
    if isinstance(value, list):
        if not value:
            raise PydanticCustomError(
                "anio_vacio",
                "la lista de años está vacía; escribe al menos un año o borra la línea",
            )
        return [_parse_year(item) for item in value]
    return _parse_year(value)


def _parse_year(value: object) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "anio_tipo",
            "«{valor}» no es un año; escribe el año con cuatro cifras (por ejemplo 2021) "
            "o una lista de años como [2022, 2023]",
            {"valor": value},
        )
    return check_year(value)


Years = Annotated[int | list[int] | None, BeforeValidator(parse_years)]


def check_web_url(value: str) -> str:
    if SPACE_OR_CONTROL.search(value):
        raise PydanticCustomError(
            "url_con_espacios",
            "la dirección tiene espacios o saltos de línea; cópiala completa desde el navegador, "
            "sin espacios (un espacio se escribe %20)",
        )
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        shown = f"«{scheme}:»" if scheme else "ninguno"
        raise PydanticCustomError(
            "url_esquema",
            "la dirección debe empezar con https:// (o http://); su esquema es {esquema}",
            {"esquema": shown},
        )
    if not parts.hostname or "." not in parts.hostname:
        raise PydanticCustomError(
            "url_sin_dominio",
            "la dirección no tiene un dominio válido; debe ser como https://www.gob.pe/...",
        )
    return value


class Link(Strict):
    """A link to the resource itself: a PDF, a web page, a video, a folder."""

    url: str = Field(
        description="Dirección completa del recurso, empezando por https://",
        examples=["https://cdn.www.gob.pe/uploads/document/file/4897235/Lecciones.pdf"],
    )
    formato: FormatId | None = Field(
        default=None,
        description="Qué abre el enlace (vocabulario catalog/_formatos.yaml): pdf, web, "
        "video, documento, carpeta... Déjalo vacío si no se sabe.",
    )
    etiqueta: Text | None = Field(
        default=None,
        description="Texto del botón si el del formato no sirve, p. ej. «Tomo I».",
    )
    idioma: LanguageId | None = Field(
        default=None,
        description="Idioma de lo enlazado si no es el del registro (catalog/_idiomas.yaml).",
    )
    agregado_por_editor: bool = Field(
        default=False,
        description="true si el enlace no viene del catálogo PDF original sino que lo añadió "
        "un editor.",
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return check_web_url(value)


class Correction(Strict):
    """An evident typo of the source that the catalog fixes, recorded so it can be checked."""

    campo: Text = Field(description="Campo corregido, p. ej. «titulo».")
    original: Text = Field(description="Texto tal como aparece en la fuente.")
    motivo: Text | None = Field(default=None, description="Por qué se corrigió.")


class RecordFields(Strict):
    """One resource of the catalog: the content of catalog/<seccion>/<id>.yaml."""

    titulo: Text = Field(
        max_length=400,
        description="Título tal como está publicado.",
    )
    tipo: TypeId = Field(
        description="Tipo de recurso (vocabulario catalog/_tipos.yaml), p. ej. guia, "
        "protocolo, estudio, video.",
    )
    anio: Years = Field(
        default=None,
        description="Año de publicación (cuatro cifras), o una lista si hay varios. "
        "Vacío si la fuente no lo dice.",
    )
    mes: int | None = Field(
        default=None, ge=1, le=12, description="Mes de publicación (1 a 12), si se conoce."
    )
    sin_anio: Text | None = Field(
        default=None,
        max_length=300,
        description="Si la fuente no da el año, por qué falta (p. ej. «la fuente no indica el "
        "año»). Quita el aviso de «validate»; no se muestra en el sitio.",
    )
    serie: SeriesId | None = Field(
        default=None,
        description="Serie a la que pertenece (catalog/_series.yaml), p. ej. "
        "boletines-jurisprudenciales.",
    )
    orden: int | None = Field(
        default=None, ge=1, description="Posición dentro de la serie (1, 2, 3...)."
    )
    descripcion: str | None = Field(
        default=None,
        description="Descripción en Markdown. Vacía si la comparte la serie o la fuente no la da.",
    )
    sin_descripcion: Text | None = Field(
        default=None,
        max_length=300,
        description="Si la fuente no da una descripción, por qué falta (p. ej. «la fuente no "
        "da descripción»). Quita el aviso de «validate»; no se muestra en el sitio.",
    )
    publico: list[AudienceId] = Field(
        default_factory=list,
        description="A quién va dirigido (catalog/_publicos.yaml): policia, fiscalia, jueces...",
    )
    publico_inferido: bool = Field(
        default=False,
        description="true si la fuente no nombra a quién va dirigido y el público lo dedujo "
        "el editor del contenido (anota el motivo en catalog/NOTAS.md). El sitio lo muestra "
        "igual.",
    )
    autores: list[Text] = Field(
        default_factory=list,
        description="Autoras, autores o instituciones autoras tal como los nombra la fuente "
        "(p. ej. «Ministerio Público» o «Pérez, A.»). Solo ellos aparecen como autor en las "
        "citas; vacío si la fuente no nombra autor.",
    )
    instituciones: list[InstitutionId] = Field(
        default_factory=list,
        description="Instituciones autoras o que lo aprobaron (catalog/_instituciones.yaml).",
    )
    idioma: LanguageId = Field(
        default="es", description="Idioma del recurso (catalog/_idiomas.yaml): es, quz..."
    )
    idioma_titulo: LanguageId | None = Field(
        default=None,
        description="Idioma del título si no es el del recurso, p. ej. «es» para un spot en "
        "quechua cuyo título está en castellano.",
    )
    enlaces: list[Link] = Field(
        default_factory=list, description="Enlaces para abrir o descargar el recurso."
    )
    relacionados: list[RecordId] = Field(
        default_factory=list,
        description="Identificadores de otros registros relacionados (nombre de su archivo).",
    )
    fecha_alta: datetime.date | None = Field(
        default=None,
        description="Fecha en que el registro se añadió al catálogo (AAAA-MM-DD); ordena "
        "el canal de novedades.",
    )
    notas_editoriales: list[Text] = Field(
        default_factory=list,
        description="Dudas sobre la fuente para resolver con los PDF originales. No se "
        "muestran en el sitio; «validate» las lista como avisos.",
    )
    correcciones: list[Correction] = Field(
        default_factory=list,
        description="Erratas evidentes de la fuente corregidas en este registro.",
    )
    borrador: bool = Field(
        default=False,
        description="true mientras el registro está en preparación: la vista previa lo "
        "muestra con la marca «Borrador», el sitio publicado no lo incluye.",
    )


CACHED_RECORD_VALUES = ("years", "first_year", "fingerprint")


class Record(RecordFields):
    """A validated record with the identity the loader gives it (file name and folder)."""

    id: str
    seccion: str

    @classmethod
    def from_file(cls, fields: RecordFields, record_id: str, section: str, source: str) -> Record:
        """The record the loader makes of a file's validated fields. Its fingerprint is
        the digest of the file's bytes (`source`), its id and section: what its fields are
        made of, known without digesting every field again."""
        record = cls.model_construct(**dict(fields), id=record_id, seccion=section)
        record.__dict__["fingerprint"] = digest_text(f"{source} {record_id} {section}")
        return record

    @cached_property
    def years(self) -> list[int]:
        if self.anio is None:
            return []
        return sorted(self.anio) if isinstance(self.anio, list) else [self.anio]

    @property
    def title_language(self) -> str:
        """The language the title is written in (a Quechua spot may have a Spanish title)."""
        return self.idioma_titulo or self.idioma

    @cached_property
    def first_year(self) -> int | None:
        years = self.years
        return years[0] if years else None

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy without the cached values below: pydantic copies them with the fields,
        so a copy with a new title would keep the old fingerprint."""
        copied = super().model_copy(update=update, deep=deep)
        for name in CACHED_RECORD_VALUES:
            copied.__dict__.pop(name, None)
        return copied

    @cached_property
    def fingerprint(self) -> str:
        """What the record is made of: a record with the same fingerprint renders the same.
        A digest of every field, or of its file (from_file). Kept on the record, which the
        loader reuses while its file is unchanged."""
        return digest(self.model_dump_json().encode("utf-8"))


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

    @field_validator("vocabulario")
    @classmethod
    def _check_vocabulary(cls, value: str) -> str:
        if value not in BROWSE_VOCABULARIES:
            raise PydanticCustomError(
                "vocabulario_explorable",
                "«{valor}» no se puede explorar.{sugerencia} Valores válidos: {validos}",
                {
                    "valor": value,
                    "sugerencia": suggest(value, BROWSE_VOCABULARIES),
                    "validos": list_choices(BROWSE_VOCABULARIES),
                },
            )
        return value

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
