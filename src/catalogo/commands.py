"""Each command's options and what it runs, but `test` (cli.py runs it itself): the two
functions of every entry of cli.COMMANDS. The options' help is Spanish; each run function
returns the exit status and lets a CatalogError reach cli.main, which prints its problems.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from pathlib import Path

from catalogo.pipeline import BuildOptions, build_site
from catalogo.problems import display_path, summarize


def add_catalog_option(command: argparse.ArgumentParser, root: Path) -> None:
    command.add_argument(
        "--catalog",
        type=Path,
        default=root / "catalog",
        help="carpeta del catálogo (por defecto: catalog/)",
    )


def add_site_options(command: argparse.ArgumentParser, root: Path) -> None:
    add_catalog_option(command, root)
    command.add_argument(
        "--out",
        type=Path,
        default=root / "_site",
        help="carpeta del sitio generado (por defecto: _site/)",
    )
    command.add_argument(
        "--base-url",
        default=None,
        help="ruta bajo la que se publica, p. ej. /catalogo-trata/ (por defecto: la de site.yaml, o /)",
    )
    command.add_argument(
        "--site-url", default=None, help="dirección pública, p. ej. https://oit.github.io"
    )
    command.add_argument(
        "--repositorio",
        default=None,
        help="repositorio de GitHub (usuario/proyecto) donde guarda el editor de /admin/ "
        "(por defecto: el de site.yaml)",
    )
    command.add_argument("--templates", type=Path, default=root / "templates", help=argparse.SUPPRESS)
    command.add_argument("--static", type=Path, default=root / "static", help=argparse.SUPPRESS)
    command.add_argument("--settings", type=Path, default=root / "site.yaml", help=argparse.SUPPRESS)
    command.add_argument(
        "--sin-busqueda", action="store_true", help="no genera el índice de búsqueda (más rápido)"
    )


def site_options(args: argparse.Namespace, pdf: bool = False) -> BuildOptions:
    return BuildOptions(
        catalog_dir=args.catalog,
        out_dir=args.out,
        templates_dir=args.templates,
        static_dir=args.static,
        settings_file=args.settings,
        base_url=args.base_url,
        site_url=args.site_url,
        search=not args.sin_busqueda,
        pdf=pdf,
        repository=args.repositorio,
    )


# serve ---------------------------------------------------------------------------------


def add_serve_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_site_options(command, root)
    command.add_argument(
        "--port",
        type=int,
        default=8000,
        help="puerto (por defecto: 8000; si está ocupado, el siguiente libre)",
    )
    command.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    command.add_argument(
        "--sin-navegador", action="store_true", help="no abre el navegador al empezar"
    )
    command.add_argument(
        "--con-pdf",
        action="store_true",
        help="genera también catalogo.pdf y los códigos QR para imprimir las fichas; tras "
        "cada cambio se rehacen unos segundos después de la página",
    )


def run_serve(args: argparse.Namespace, root: Path) -> int:
    from catalogo.serve import ServeOptions, serve

    options = site_options(args, pdf=args.con_pdf)
    if args.con_pdf:
        warn_without_pdf()
    if args.base_url is None:  # the preview serves the site at its root
        options = dataclasses.replace(options, base_url="/")
    return serve(ServeOptions(options, args.host, args.port, not args.sin_navegador))


# build ---------------------------------------------------------------------------------


def add_build_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_site_options(command, root)
    command.add_argument(
        "--sin-pdf",
        action="store_true",
        help="no genera catalogo.pdf ni los códigos QR para imprimir las fichas (más rápido)",
    )
    command.add_argument(
        "--sin-cache",
        action="store_true",
        help="no tiene efecto: construir ya no guarda ninguna caché y genera todo cada vez; "
        "se acepta para que los scripts que lo usan sigan funcionando",
    )


def run_build(args: argparse.Namespace, root: Path) -> int:
    options = site_options(args, pdf=not args.sin_pdf)
    result = build_site(options, on_wait=print_waiting)
    written = result.written
    unchanged = written.kept + written.linked
    drafts = f" ({result.drafts} en borrador, sin publicar)" if result.drafts else ""
    print(
        f"Sitio generado en {display_path(options.out_dir)}/: {result.records} registros"
        f"{drafts}, {result.pages} páginas ({written.written} archivos escritos, {unchanged} "
        f"sin cambios), en {result.seconds:.2f} s."
    )
    if result.warnings:
        print(f"{summarize(result.warnings)}: revísalos con «python3 build.py validate».")
    report_pdf(options, result.notices)
    return 0


def report_pdf(options: BuildOptions, notices: Sequence[str]) -> None:
    """Where the printable catalog is, or why it was not made (the site is built anyway)."""
    from catalogo.linksummary import format_size
    from catalogo.pdf import PDF_FILE

    for notice in notices:
        print(
            f"Aviso: no se generó {PDF_FILE}. {notice} El resto del sitio se generó; "
            "usa --sin-pdf para no intentarlo."
        )
    path = options.out_dir / PDF_FILE
    if options.pdf and not notices and path.is_file():
        print(f"Catálogo para imprimir: {display_path(path)} ({format_size(path.stat().st_size)}).")


def warn_without_pdf() -> None:
    """Say once, before serve starts, that this machine cannot make the PDF."""
    from catalogo.pdf import pdf_unavailable

    problem = pdf_unavailable()
    if problem:
        print(f"Aviso: no se generará catalogo.pdf. {problem} Se sirve el sitio sin él.", flush=True)


def print_waiting(out_dir: Path) -> None:
    print(
        f"Otra generación del sitio está escribiendo en {display_path(out_dir)}/: "
        "espero a que termine...",
        flush=True,
    )


# validate ------------------------------------------------------------------------------


def add_validate_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_catalog_option(command, root)
    command.add_argument(
        "archivos",
        nargs="*",
        type=Path,
        help="revisa solo estos archivos o carpetas (por defecto, todo el catálogo)",
    )
    command.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (por defecto) o github (anotaciones de GitHub Actions)",
    )
    command.add_argument(
        "--strict", action="store_true", help="los avisos también hacen fallar la validación"
    )


def run_validate(args: argparse.Namespace, root: Path) -> int:
    from catalogo.review import validate_catalog

    return validate_catalog(args.catalog, args.archivos, args.format, args.strict)


# new -----------------------------------------------------------------------------------


def add_new_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_catalog_option(command, root)
    command.add_argument("--seccion", required=True, help="sección: objetivo-1, objetivo-2...")
    command.add_argument("--tipo", required=True, help="tipo: guia, protocolo, estudio...")
    command.add_argument(
        "--id",
        dest="record_id",
        default=None,
        help="identificador (por defecto, se forma a partir del título)",
    )
    command.add_argument("titulo", help="título del recurso, entre comillas")


def run_new(args: argparse.Namespace, root: Path) -> int:
    from catalogo.scaffold import create_record

    path = create_record(args.catalog, args.seccion, args.tipo, args.titulo, args.record_id)
    print(f"Registro creado: {display_path(path)}")
    print("Complétalo (descripcion, anio, publico, enlaces) y revisa con: python3 build.py validate")
    return 0


# schema --------------------------------------------------------------------------------


def add_schema_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    command.add_argument(
        "--catalog",
        type=Path,
        default=root / "catalog",
        help="carpeta del catálogo (sus vocabularios van al esquema)",
    )
    command.add_argument(
        "--out",
        type=Path,
        default=root / "schema",
        help="carpeta de los esquemas (por defecto: schema/)",
    )
    command.add_argument(
        "--check", action="store_true", help="solo comprueba que los esquemas están al día"
    )


def run_schema(args: argparse.Namespace, root: Path) -> int:
    from catalogo.schema import write_schemas

    return write_schemas(args.out, args.catalog, check=args.check)


# cms -----------------------------------------------------------------------------------


def add_cms_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_catalog_option(command, root)
    command.add_argument(
        "--out",
        type=Path,
        default=root / "schema",
        help="carpeta de la configuración (por defecto: schema/)",
    )
    command.add_argument(
        "--check", action="store_true", help="solo comprueba que la configuración está al día"
    )


def run_cms(args: argparse.Namespace, root: Path) -> int:
    from catalogo.cms import write_config

    return write_config(args.out, args.catalog, check=args.check)


# links ---------------------------------------------------------------------------------


def add_links_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    add_catalog_option(command, root)
    command.add_argument(
        "--only", type=Path, default=None, help="comprueba solo los enlaces de este registro"
    )
    command.add_argument(
        "--report",
        type=Path,
        default=root / "informe-enlaces",
        help="nombre base del informe (.md y .json)",
    )
    command.add_argument("--timeout", type=float, default=15.0, help=argparse.SUPPRESS)


def run_links(args: argparse.Namespace, root: Path) -> int:
    from catalogo.linkcheck import run_link_check

    return run_link_check(args.catalog, args.only, args.report, args.timeout)
