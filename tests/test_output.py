from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.output import (
    MARKER,
    OutputError,
    recover_interrupted,
    safe_target,
    write_site,
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    "relative", ["../fuera.html", "a/../../b", "/etc/passwd", "a\\b", "c:/x", "", "a//b", "./a"]
)
def test_paths_that_could_escape_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(OutputError):
        safe_target(tmp_path, relative)


def test_a_site_is_written_and_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno", "a/index.html": b"a"}, None, out)
    write_site({"index.html": b"dos"}, None, out)
    assert snapshot(out) == {"index.html": b"dos", MARKER: (out / MARKER).read_bytes()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_failure_while_writing_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno", "x/index.html": b"x"}, None, out)
    before = snapshot(out)

    def explode(staging: Path) -> None:
        raise RuntimeError("falla a mitad")

    with pytest.raises(RuntimeError):
        write_site({"index.html": b"malo"}, None, out, finish=explode)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno"}, None, out)
    (tmp_path / "_site.tmp-abc").mkdir()
    (tmp_path / "_site.tmp-abc" / "index.html").write_bytes(b"a medias")
    recover_interrupted(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_site_moved_aside_by_a_killed_swap_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno"}, None, out)
    out.rename(tmp_path / "_site.old-123")
    recover_interrupted(out)
    assert (out / "index.html").read_bytes() == b"bueno"


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "documentos"
    out.mkdir()
    (out / "tesis.docx").write_bytes(b"importante")
    with pytest.raises(OutputError, match="no es un sitio generado"):
        write_site({"index.html": b"x"}, None, out)
    assert (out / "tesis.docx").read_bytes() == b"importante"


def test_the_output_cannot_contain_the_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    with pytest.raises(OutputError, match="contiene o es"):
        write_site({"index.html": b"x"}, None, tmp_path, protected=[catalog])


def test_static_files_are_copied_but_not_links_out(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "estilo.css").write_text("body{}", encoding="utf-8")
    secret = tmp_path / "secreto.txt"
    secret.write_text("clave", encoding="utf-8")
    (static / "fuga.txt").symlink_to(secret)
    out = tmp_path / "_site"
    write_site({"index.html": b"x"}, static, out)
    assert (out / "static" / "estilo.css").read_text(encoding="utf-8") == "body{}"
    assert not (out / "static" / "fuga.txt").exists()
