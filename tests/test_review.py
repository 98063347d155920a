"""`validate`, as editors run it: every problem or warning on its own line, then one last
line that says how it went; only some files when asked; GitHub annotations for CI; drafts
named as left out."""

from __future__ import annotations

from pathlib import Path

from tests.support import DATA, EXAMPLE, run


def test_validate_reports_every_problem_and_exits_1_without_traceback() -> None:
    result = run("validate", "--catalog", DATA / "invalido")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8")
    assert result.stderr == expected


def test_validate_github_format_prints_annotations() -> None:
    result = run("validate", "--catalog", DATA / "invalido", "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=tests/data/invalido/guias/Mayusculas.yaml::")
    assert (
        "::error file=tests/data/invalido/guias/anio-malo.yaml,line=3::anio: el año 20211"
        in result.stdout
    )


def test_validate_valid_catalog_exits_0() -> None:
    result = run("validate", "--catalog", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "Catálogo válido: 4 registros en 2 secciones." in result.stdout


def test_validate_strict_fails_on_warnings_and_its_last_line_says_so(tmp_path: Path) -> None:
    result = run("validate", "--catalog", EXAMPLE, "--strict")
    assert result.returncode == 1
    assert "aviso" in result.stderr
    assert "Catálogo válido" not in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "Falla la validación estricta (--strict): 3 avisos en 2 archivos; con --strict los "
        "avisos cuentan como problemas."
    )


def test_validate_given_files_checks_just_those(tmp_path: Path) -> None:
    record = EXAMPLE / "guias" / "guia-de-prueba.yaml"
    result = run("validar", "--catalog", EXAMPLE, record)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Sin errores en tests/data/ejemplo/guias/guia-de-prueba.yaml."
    assert result.stderr == ""
    videos = run("validate", "--catalog", EXAMPLE, EXAMPLE / "videos")
    assert "videos/video-de-prueba.yaml:1: aviso" in videos.stderr
    assert "guia-de-prueba" not in videos.stderr


def test_validate_given_a_good_file_in_a_broken_catalog_says_the_file_is_fine() -> None:
    good = DATA / "invalido" / "guias" / "anio-malo.yaml"
    result = run("validate", "--catalog", DATA / "invalido", good)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "tests/data/invalido/guias/anio-malo.yaml:3: anio: el año 20211 está fuera de rango; "
        "escribe un año de cuatro cifras entre 1900 y 2100, por ejemplo 2021",
        "tests/data/invalido/guias/anio-malo.yaml:4: publico[2]: «fiscalias» no es un público "
        "conocido. ¿Quisiste decir «fiscalia»? Valores válidos: «fiscalia», «policia» (para "
        "añadir uno, edita _publicos.yaml)",
    ]
    assert "Otros 10 archivos del catálogo tienen problemas" in result.stderr
    missing = run("validate", "--catalog", EXAMPLE, "no-existe.yaml")
    assert missing.returncode == 1
    assert "no-existe.yaml: no existe este archivo" in missing.stderr


def test_validate_says_what_drafts_leave_out(example_catalog: Path) -> None:
    record = example_catalog / "videos" / "video-de-prueba.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", encoding="utf-8")
    validate = run("validate", "--catalog", example_catalog)
    assert validate.returncode == 0, validate.stderr
    assert (
        "Catálogo válido: 4 registros en 2 secciones (1 borrador, sin publicar)."
        in validate.stdout
    )
    assert (
        "relacionados[1]: «video-de-prueba» es un borrador: el sitio publicado no muestra este "
        "relacionado hasta que se publique" in validate.stderr
    )
