"""`new`: write a commented starter record an editor only has to fill in."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from catalogo.catalogfiles import slugify
from catalogo.models import SLUG
from catalogo.problems import CatalogError, Problem, display_path, list_choices, suggest
from catalogo.yamlfile import read_document

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/recurso.schema.json"


def vocabulary_ids(catalog_dir: Path, name: str) -> list[str]:
    path = catalog_dir / name
    document = read_document(path, display_path(path))
    if isinstance(document, Problem):
        raise CatalogError([document])
    if not isinstance(document.data, dict):
        return []
    return [str(key) for key in document.data]


def yaml_value(key: str, value: str) -> str:
    """`key: value` with whatever quoting YAML needs (a title may contain «:» or «#»)."""
    text: str = yaml.safe_dump({key: value}, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip()


def starter_record(
    title: str,
    kind: str,
    audiences: list[str],
    institutions: list[str],
    formats: list[str],
    today: datetime.date,
) -> str:
    return "\n".join(
        [
            SCHEMA_LINE,
            "# Registro creado con «python3 build.py new». Completa los campos y revisa con:",
            "#   python3 build.py validate",
            "# Las líneas que empiezan con «#» son comentarios: quítale el «#» a las que uses.",
            yaml_value("titulo", title),
            f"tipo: {kind}",
            "# Año de publicación, con cuatro cifras (o una lista: [2022, 2023]):",
            "# anio: 2024",
            "# Si la fuente no da el año, escribe en su lugar por qué falta:",
            "# sin_anio: la fuente no indica el año",
            "# Descripción en Markdown; las líneas siguientes van con dos espacios de sangría:",
            "# descripcion: >-",
            "#   Esta guía ...",
            "# Si la fuente no da descripción: sin_descripcion: la fuente no da descripción",
            f"# A quién va dirigido. Valores: {', '.join(audiences)}",
            "publico: []",
            f"# Instituciones autoras. Valores: {', '.join(institutions)}",
            "instituciones: []",
            f"# Enlaces para abrir o descargar el recurso. Formatos: {', '.join(formats)}",
            "enlaces: []",
            "# enlaces:",
            "#   - url: https://...",
            "#     formato: pdf",
            "#     agregado_por_editor: true",
            f"fecha_alta: {today.isoformat()}",
            "# Mientras lo preparas, «borrador: true» lo muestra en la vista previa sin publicarlo:",
            "# borrador: true",
            "",
        ]
    )


def create_record(
    catalog_dir: Path,
    section: str,
    kind: str,
    title: str,
    record_id: str | None = None,
    today: datetime.date | None = None,
) -> Path:
    """Write catalog/<section>/<id>.yaml; refuse to overwrite anything."""
    new_id = record_id or slugify(title)
    problems = request_problems(catalog_dir, section, kind, title, new_id)
    if problems:
        raise CatalogError(problems)
    existing = sorted(catalog_dir.glob(f"*/{new_id}.yaml"))
    if existing:
        raise CatalogError(
            [
                Problem(
                    display_path(existing[0]),
                    None,
                    "",
                    f"ya existe un registro «{new_id}»; no se sobrescribe. Elige otro identificador "
                    "con --id",
                )
            ]
        )
    path = catalog_dir / section / f"{new_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = starter_record(
        title.strip(),
        kind,
        vocabulary_ids(catalog_dir, "_publicos.yaml"),
        vocabulary_ids(catalog_dir, "_instituciones.yaml"),
        vocabulary_ids(catalog_dir, "_formatos.yaml"),
        today or datetime.date.today(),
    )
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def request_problems(
    catalog_dir: Path, section: str, kind: str, title: str, new_id: str
) -> list[Problem]:
    """What is wrong with the command's section, type, title and id, all at once."""
    sections = vocabulary_ids(catalog_dir, "_secciones.yaml")
    kinds = vocabulary_ids(catalog_dir, "_tipos.yaml")
    problems: list[Problem] = []
    if section not in sections:
        problems.append(
            Problem(
                "--seccion",
                None,
                "",
                f"«{section}» no es una sección."
                f"{suggest(section, sections)} Secciones: {list_choices(sections)}",
            )
        )
    if kind not in kinds:
        problems.append(
            Problem(
                "--tipo",
                None,
                "",
                f"«{kind}» no es un tipo.{suggest(kind, kinds)}"
                f" Tipos: {list_choices(kinds, limit=30)}",
            )
        )
    if not title.strip():
        problems.append(Problem("titulo", None, "", "escribe el título del recurso entre comillas"))
    if not SLUG.fullmatch(new_id):
        problems.append(
            Problem(
                "--id",
                None,
                "",
                f"«{new_id}» no es un identificador válido; usa "
                "minúsculas sin tildes, cifras y guiones",
            )
        )
    return problems
