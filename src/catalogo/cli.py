"""Command line: `python3 build.py <command>` or `catalogo <command>`.

Problems in the catalog print as `file:line: field: message` lines and exit with status 1,
without a traceback. Anything else that goes wrong is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from catalogo.cache import BuildCache, cache_file
from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Problem, display_path, report, summarize
from catalogo.site import BuildOptions, build_site

EXIT_PROBLEMS = 1


def build_parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Catálogo: genera, valida y sirve el sitio del catálogo.",
    )
    commands = parser.add_subparsers(dest="command", metavar="comando", required=True)

    def add_site_options(command: argparse.ArgumentParser, out: bool = True) -> None:
        command.add_argument(
            "--catalog",
            type=Path,
            default=root / "catalog",
            help="carpeta del catálogo (por defecto: catalog/)",
        )
        if out:
            command.add_argument(
                "--out",
                type=Path,
                default=root / "_site",
                help="carpeta del sitio generado (por defecto: _site/)",
            )
            command.add_argument(
                "--base-url",
                default=None,
                help="ruta bajo la que se publica, p. ej. /catalogo-trata/ "
                "(por defecto: la de site.yaml, o /)",
            )
            command.add_argument(
                "--site-url", default=None, help="dirección pública, p. ej. https://oit.github.io"
            )
            command.add_argument(
                "--templates", type=Path, default=root / "templates", help=argparse.SUPPRESS
            )
            command.add_argument(
                "--static", type=Path, default=root / "static", help=argparse.SUPPRESS
            )
            command.add_argument(
                "--settings", type=Path, default=root / "site.yaml", help=argparse.SUPPRESS
            )

    serve = commands.add_parser("serve", help="genera el sitio y lo sirve con recarga automática")
    add_site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="puerto (por defecto: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    serve.add_argument(
        "--sin-busqueda", action="store_true", help="no genera el índice de búsqueda (más rápido)"
    )
    serve.add_argument(
        "--con-pdf",
        action="store_true",
        help="genera también catalogo.pdf y los códigos QR para imprimir las fichas; tras "
        "cada cambio se rehacen unos segundos después de la página",
    )

    test = commands.add_parser("test", help="ruff, mypy y todas las pruebas")
    test.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        help="argumentos extra para pytest, p. ej. -k catalogo",
    )

    build = commands.add_parser("build", help="genera el sitio en _site/")
    add_site_options(build)
    build.add_argument(
        "--sin-busqueda", action="store_true", help="no genera el índice de búsqueda (más rápido)"
    )
    build.add_argument(
        "--sin-pdf",
        action="store_true",
        help="no genera catalogo.pdf ni los códigos QR para imprimir las fichas (más rápido)",
    )
    build.add_argument(
        "--sin-cache",
        action="store_true",
        help="no usa ni guarda la caché de .cache/ (todo se vuelve a generar)",
    )

    validate = commands.add_parser("validate", help="revisa el catálogo sin generar nada")
    add_site_options(validate, out=False)
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (por defecto) o github (anotaciones de GitHub Actions)",
    )
    validate.add_argument(
        "--strict", action="store_true", help="los avisos también hacen fallar la validación"
    )

    new = commands.add_parser("new", help="crea un registro nuevo a partir de un título")
    add_site_options(new, out=False)
    new.add_argument("--seccion", required=True, help="sección: objetivo-1, objetivo-2...")
    new.add_argument("--tipo", required=True, help="tipo: guia, protocolo, estudio...")
    new.add_argument(
        "--id",
        dest="record_id",
        default=None,
        help="identificador (por defecto, se forma a partir del título)",
    )
    new.add_argument("titulo", help="título del recurso, entre comillas")

    schema = commands.add_parser("schema", help="regenera el JSON Schema de schema/")
    schema.add_argument(
        "--catalog",
        type=Path,
        default=root / "catalog",
        help="carpeta del catálogo (sus vocabularios van al esquema)",
    )
    schema.add_argument(
        "--out",
        type=Path,
        default=root / "schema",
        help="carpeta de los esquemas (por defecto: schema/)",
    )
    schema.add_argument(
        "--check", action="store_true", help="solo comprueba que los esquemas están al día"
    )

    links = commands.add_parser("links", help="comprueba los enlaces externos del catálogo")
    add_site_options(links, out=False)
    links.add_argument(
        "--only", type=Path, default=None, help="comprueba solo los enlaces de este registro"
    )
    links.add_argument(
        "--report",
        type=Path,
        default=root / "informe-enlaces",
        help="nombre base del informe (.md y .json)",
    )
    links.add_argument("--timeout", type=float, default=15.0, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    root = project_root if project_root is not None else Path.cwd()
    parser = build_parser(root)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return run(args, root)
    except CatalogError as error:
        print_problems(error.problems, getattr(args, "format", "text"))
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


def print_problems(problems: Sequence[Problem], output_format: str = "text") -> None:
    print(
        report(problems, output_format), file=sys.stderr if output_format == "text" else sys.stdout
    )


def run(args: argparse.Namespace, root: Path) -> int:
    command: str = args.command
    if command == "build":
        return run_build(args, root)
    if command == "validate":
        return run_validate(args)
    if command == "serve":
        from catalogo.serve import serve

        if args.con_pdf:
            warn_without_pdf()
        return serve(
            site_options(args, search=not args.sin_busqueda, preview=True, pdf=args.con_pdf),
            host=args.host,
            port=args.port,
        )
    if command == "test":
        return run_tests(root, args.pytest_args)
    if command == "new":
        from catalogo.scaffold import create_record

        path = create_record(args.catalog, args.seccion, args.tipo, args.titulo, args.record_id)
        print(f"Registro creado: {path}")
        print(
            "Complétalo (descripcion, anio, publico, enlaces) y revisa con: "
            "python3 build.py validate"
        )
        return 0
    if command == "schema":
        from catalogo.schema import write_schemas

        return write_schemas(args.out, args.catalog, check=args.check)
    if command == "links":
        from catalogo.linkcheck import run_link_check

        return run_link_check(args.catalog, args.only, args.report, args.timeout)
    raise AssertionError(f"unknown command {command}")  # pragma: no cover


def warn_without_pdf() -> None:
    """Say once, before serve starts, that this machine cannot make the PDF."""
    from catalogo.pdf import pdf_unavailable

    problem = pdf_unavailable()
    if problem:
        print(f"Aviso: no se generará catalogo.pdf. {problem} Se sirve el sitio sin él.", flush=True)


def site_options(
    args: argparse.Namespace, search: bool, preview: bool = False, pdf: bool = False
) -> BuildOptions:
    return BuildOptions(
        catalog_dir=args.catalog,
        out_dir=args.out,
        templates_dir=args.templates,
        static_dir=args.static,
        settings_file=args.settings,
        base_url=args.base_url,
        site_url=args.site_url,
        search=search,
        preview=preview,
        pdf=pdf,
    )


def run_build(args: argparse.Namespace, root: Path) -> int:
    options = site_options(args, search=not args.sin_busqueda, pdf=not args.sin_pdf)
    cache_dir = Path(os.environ.get("CATALOGO_CACHE") or root / ".cache" / "catalogo")
    store = None if args.sin_cache else cache_file(cache_dir, options.catalog_dir, options.out_dir)
    cache = BuildCache.read(store) if store else None
    if cache:
        cache.render.keep_content = False  # one build: the bytes are on disk once written
    result = build_site(options, cache)
    if store and cache:
        try:
            cache.save(store)
        except OSError as error:  # the site is built; a cache that cannot be saved only costs time
            print(f"Aviso: no se pudo guardar la caché en {display_path(store)}: {error.strerror}")
    written = result.written
    unchanged = written.kept + written.linked
    print(
        f"Sitio generado en {display_path(options.out_dir)}/: {result.records} registros, "
        f"{result.pages} páginas ({written.written} archivos escritos, {unchanged} sin "
        f"cambios), en {result.seconds:.2f} s."
    )
    if result.warnings:
        print(f"{summarize(result.warnings)}: revísalos con «python3 build.py validate».")
    report_pdf(options, result.notices)
    return 0


def report_pdf(options: BuildOptions, notices: Sequence[str]) -> None:
    """Where the printable catalog is, or why it was not made (the site is built anyway)."""
    from catalogo.pdf import PDF_FILE, format_size

    for notice in notices:
        print(
            f"Aviso: no se generó {PDF_FILE}. {notice} El resto del sitio se generó; "
            "usa --sin-pdf para no intentarlo."
        )
    path = options.out_dir / PDF_FILE
    if options.pdf and not notices and path.is_file():
        print(f"Catálogo para imprimir: {display_path(path)} ({format_size(path.stat().st_size)}).")


def run_validate(args: argparse.Namespace) -> int:
    result = load_catalog(args.catalog)
    warnings = result.warnings
    if warnings:
        print_problems(warnings, args.format)
    if args.format == "text":
        catalog = result.catalog
        print(
            f"Catálogo válido: {len(catalog.records)} registros en "
            f"{len(catalog.sections)} secciones."
        )
    return EXIT_PROBLEMS if warnings and args.strict else 0


def run_tests(root: Path, extra: Sequence[str]) -> int:
    """ruff, mypy (strict on src/) and pytest, each run even if an earlier one failed."""
    python = sys.executable
    steps = [
        ("ruff", [python, "-m", "ruff", "check", "."]),
        ("mypy", [python, "-m", "mypy"]),
        ("pytest", [python, "-m", "pytest", *extra]),
    ]
    failed = []
    for name, command in steps:
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        code = subprocess.run(command, cwd=root).returncode
        if code != 0:
            failed.append(f"{name} (código {code})")
    if failed:
        print(f"Fallaron: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("Todo en orden: ruff, mypy y pytest pasaron.")
    return 0
