"""The site's folders: a stage brought up to date file by file, then swapped in; the
published site survives anything, and only changed files are written."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from catalogo.output import (
    MANIFEST,
    MARKER,
    Manifest,
    OutputError,
    WriteReport,
    open_stage,
    publish,
    read_manifest,
    recover_interrupted,
    safe_parts,
    spare_folder,
    stage_static,
)
from tests.support import snapshot


def write_site(
    files: Mapping[str, bytes],
    out: Path,
    static: Path | None = None,
    protected: list[Path] | None = None,
) -> WriteReport:
    """What a build does with its files: stage each one, then publish them."""
    stage = open_stage(out, protected or [])
    try:
        digests = {path: stage.put(path, data) for path, data in files.items()}
        digests |= stage_static(stage, static)
        publish(stage, Manifest(digests))
    except BaseException:
        stage.discard()
        raise
    return stage.report


def pages(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(folder).items() if k not in (MARKER, MANIFEST)}


@pytest.mark.parametrize(
    "relative", ["../fuera.html", "a/../../b", "/etc/passwd", "a\\b", "c:/x", "", "a//b", "./a"]
)
def test_paths_that_could_escape_are_refused(relative: str) -> None:
    with pytest.raises(OutputError):
        safe_parts(relative)


def test_a_site_is_written_and_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno", "a/index.html": b"a"}, out)
    write_site({"index.html": b"dos"}, out)
    assert pages(out) == {"index.html": b"dos"}
    assert not (out / "a").exists(), "folders emptied by removed pages are removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "_site.anterior"]
    assert pages(spare_folder(out)) == {"index.html": b"uno", "a/index.html": b"a"}


def test_only_changed_files_are_written(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    files = {f"r/{n}/index.html": f"pagina {n}".encode() for n in range(50)}
    first = write_site(files, out)
    assert first.written == 51  # the pages and the marker
    second = write_site(files, out)
    assert (second.written, second.linked) == (0, 51), "unchanged files are linked"
    changed = {**files, "r/7/index.html": b"otra"}
    third = write_site(changed, out)
    assert third.written == 1 and third.kept == 50
    assert pages(out) == changed
    fourth = write_site(changed, out)
    assert fourth.written == 0
    assert pages(out) == changed


def test_a_linked_file_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno"}, out)
    write_site({"index.html": b"uno"}, out)  # the spare now links to the live file
    write_site({"index.html": b"dos"}, out)
    assert (out / "index.html").read_bytes() == b"dos"
    assert (spare_folder(out) / "index.html").read_bytes() == b"uno"


def test_a_file_is_reused_by_its_digest_without_its_bytes(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"a.html": b"uno", "b.html": b"dos"}, out)
    live = read_manifest(out)
    assert live is not None
    stage = open_stage(out, [])
    assert stage.reuse("a.html", live.files["a.html"]), "linked from the published site"
    assert not stage.reuse("b.html", "otro-digest"), "bytes nobody holds must be made"
    publish(stage, Manifest({"a.html": live.files["a.html"]}))
    assert pages(out) == {"a.html": b"uno"}


def test_an_interrupted_spare_is_rebuilt_from_scratch(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno", "b.html": b"b"}, out)
    write_site({"index.html": b"dos"}, out)
    spare = spare_folder(out)
    (spare / MANIFEST).unlink()  # as if a build had been killed while updating it
    (spare / "basura.html").write_bytes(b"a medias")
    write_site({"index.html": b"tres"}, out)
    assert pages(out) == {"index.html": b"tres"}


def test_a_failure_while_staging_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno", "x/index.html": b"x"}, out)
    before = snapshot(out)
    with pytest.raises(OutputError):
        write_site({"index.html": b"malo", "../fuera.html": b"x"}, out)
    assert snapshot(out) == before
    assert not (tmp_path / "fuera.html").exists()


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno"}, out)
    (tmp_path / "_site.tmp-abc").mkdir()
    (tmp_path / "_site.tmp-abc" / "index.html").write_bytes(b"a medias")
    recover_interrupted(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_site_moved_aside_by_a_killed_swap_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno"}, out)
    out.rename(tmp_path / "_site.old-123")
    recover_interrupted(out)
    assert (out / "index.html").read_bytes() == b"bueno"


def test_a_swap_killed_after_publishing_keeps_the_old_site_as_spare(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"viejo"}, out)
    write_site({"index.html": b"nuevo"}, out)
    spare_folder(out).rename(tmp_path / "_site.old-99")  # killed before the last rename
    recover_interrupted(out)
    assert (out / "index.html").read_bytes() == b"nuevo"
    assert (spare_folder(out) / "index.html").read_bytes() == b"viejo"


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "documentos"
    out.mkdir()
    (out / "tesis.docx").write_bytes(b"importante")
    with pytest.raises(OutputError, match="no es un sitio generado"):
        write_site({"index.html": b"x"}, out)
    assert (out / "tesis.docx").read_bytes() == b"importante"


def test_the_output_cannot_contain_the_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    with pytest.raises(OutputError, match="contiene o es"):
        write_site({"index.html": b"x"}, tmp_path, protected=[catalog])


def test_static_files_are_copied_but_not_links_out(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "estilo.css").write_text("body{}", encoding="utf-8")
    secret = tmp_path / "secreto.txt"
    secret.write_text("clave", encoding="utf-8")
    (static / "fuga.txt").symlink_to(secret)
    out = tmp_path / "_site"
    write_site({"index.html": b"x"}, out, static)
    assert (out / "static" / "estilo.css").read_text(encoding="utf-8") == "body{}"
    assert not (out / "static" / "fuga.txt").exists()


def test_the_manifest_records_what_derived_parts_were_made_from(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    stage = open_stage(out, [])
    digests = {"index.html": stage.put("index.html", b"x")}
    publish(stage, Manifest(digests, {"pagefind": "clave"}))
    assert read_manifest(out) == Manifest(digests, {"pagefind": "clave"})
