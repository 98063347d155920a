from __future__ import annotations

from catalogo.problems import Problem, Severity, format_problem, report, suggest, summarize


def test_text_format_is_path_line_field_message() -> None:
    problem = Problem("catalog/objetivo-1/x.yaml", 12, "anio", "mensaje")
    assert format_problem(problem) == "catalog/objetivo-1/x.yaml:12: anio: mensaje"


def test_github_format_is_an_annotation() -> None:
    problem = Problem("catalog/a,b.yaml", 3, "tipo", "100% mal\nsegunda")
    assert format_problem(problem, "github") == (
        "::error file=catalog/a%2Cb.yaml,line=3::tipo: 100%25 mal%0Asegunda"
    )
    warning = Problem("x.yaml", None, "", "ojo", Severity.WARNING)
    assert format_problem(warning, "github") == "::warning file=x.yaml::ojo"


def test_summary_counts_problems_and_files_in_spanish() -> None:
    problems = [Problem("a", 1, "", "m"), Problem("a", 2, "", "m"), Problem("b", 1, "", "m")]
    assert summarize(problems) == "3 problemas en 2 archivos"
    assert summarize(problems[:1]) == "1 problema en 1 archivo"
    warnings = [Problem("c", 1, "", "m", Severity.WARNING)]
    assert summarize(problems + warnings) == "3 problemas en 2 archivos; 1 aviso en 1 archivo"


def test_report_lists_errors_before_warnings() -> None:
    lines = report(
        [Problem("z", 1, "", "w", Severity.WARNING), Problem("a", 5, "", "e")]
    ).splitlines()
    assert lines == ["a:5: e", "z:1: aviso: w", "1 problema en 1 archivo; 1 aviso en 1 archivo"]


def test_suggest_finds_close_values_case_insensitively() -> None:
    assert suggest("guía", ["guia", "video"]) == " ¿Quisiste decir «guia»?"
    assert suggest("PDF", ["pdf", "web"]) == " ¿Quisiste decir «pdf»?"
    assert suggest("zzz", ["pdf", "web"]) == ""


def test_problems_are_ordered_one_way_everywhere() -> None:
    from catalogo.problems import CatalogError, problem_order

    problems = [
        Problem("b.yaml", 2, "titulo", "z"),
        Problem("a.yaml", 7, "", "y"),
        Problem("a.yaml", None, "", "sin línea"),
        Problem("a.yaml", 7, "", "x"),
    ]
    ordered = sorted(problems, key=problem_order)
    assert [(p.path, p.line, p.message) for p in ordered] == [
        ("a.yaml", None, "sin línea"),
        ("a.yaml", 7, "x"),
        ("a.yaml", 7, "y"),
        ("b.yaml", 2, "z"),
    ]
    assert CatalogError(problems).problems == ordered
    assert report(problems).splitlines()[:4] == [
        "a.yaml: sin línea",
        "a.yaml:7: x",
        "a.yaml:7: y",
        "b.yaml:2: titulo: z",
    ]
