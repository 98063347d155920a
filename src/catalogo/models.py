"""The shape of a record file, as pydantic models, and what every model of a catalog file
shares (strict keys, texts, ids, years, web addresses). No I/O here. catalog.py has the
models of the catalog's settings files and the Catalog itself.

YAML keys are Spanish because editors read them. Vocabulary values (types, audiences,
institutions, languages, link formats) are checked against the catalog's own vocabulary
files by the loader, not here, so an editor can add a value without touching code.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Annotated, Any, Self
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
from catalogo.video import link_identity

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_YEAR = 1900
MAX_YEAR = 2100
WEB_SCHEMES = ("http", "https")
SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")

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
# (crosschecks.check_related).
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


CACHED_RECORD_VALUES = ("years", "first_year", "fingerprint", "resource_key")


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
    def resource_key(self) -> tuple[str, tuple[str, ...]]:
        """Two records with the same title and the same links are one resource published
        twice (crosschecks.check_copies). Kept on the record, like its fingerprint."""
        title = " ".join(self.titulo.casefold().split())
        return title, tuple(sorted(link_identity(link.url) for link in self.enlaces))

    @cached_property
    def fingerprint(self) -> str:
        """What the record is made of: a record with the same fingerprint renders the same.
        A digest of every field, or of its file (from_file). Kept on the record, which the
        loader reuses while its file is unchanged."""
        return digest(self.model_dump_json().encode("utf-8"))
