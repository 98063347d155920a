from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.output import (
    MANIFEST,
    MARKER,
    OutputError,
    SearchStep,
    recover_interrupted,
    safe_target,
    spare_folder,
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


def pages(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(folder).items() if k not in (MARKER, MANIFEST)}


def test_a_site_is_written_and_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno", "a/index.html": b"a"}, None, out)
    write_site({"index.html": b"dos"}, None, out)
    assert pages(out) == {"index.html": b"dos"}
    assert not (out / "a").exists(), "folders emptied by removed pages are removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "_site.anterior"]
    assert pages(spare_folder(out)) == {"index.html": b"uno", "a/index.html": b"a"}


def test_only_changed_files_are_written(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    files = {f"r/{n}/index.html": f"pagina {n}".encode() for n in range(50)}
    first = write_site(files, None, out)
    assert first.written == 51  # the pages and the marker
    second = write_site(files, None, out)
    assert (second.written, second.linked) == (0, 51), "unchanged files are linked"
    changed = {**files, "r/7/index.html": b"otra"}
    third = write_site(changed, None, out)
    assert third.written == 1 and third.kept == 50
    assert pages(out) == changed
    fourth = write_site(changed, None, out)
    assert fourth.written == 0
    assert pages(out) == changed


def test_a_linked_file_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno"}, None, out)
    write_site({"index.html": b"uno"}, None, out)  # the spare now links to the live file
    write_site({"index.html": b"dos"}, None, out)
    assert (out / "index.html").read_bytes() == b"dos"
    assert (spare_folder(out) / "index.html").read_bytes() == b"uno"


def test_search_index_is_reused_when_its_pages_did_not_change(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    runs: list[str] = []

    def index(root: Path) -> int:
        runs.append(root.name)
        (root / "pagefind").mkdir()
        (root / "pagefind" / "pagefind.js").write_text(f"indice {len(runs)}", encoding="utf-8")
        return 1

    for key in ("a", "a", "a", "b"):
        write_site({"index.html": b"x"}, None, out, SearchStep(key=key, run=index))
    assert len(runs) == 2, "built for «a», copied and kept for «a», rebuilt for «b»"
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "indice 2"
    write_site({"index.html": b"x"}, None, out, None)
    assert not (out / "pagefind").exists(), "a build without search drops the stale index"


def test_an_interrupted_spare_is_rebuilt_from_scratch(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"uno", "b.html": b"b"}, None, out)
    write_site({"index.html": b"dos"}, None, out)
    spare = spare_folder(out)
    (spare / MANIFEST).unlink()  # as if a build had been killed while updating it
    (spare / "basura.html").write_bytes(b"a medias")
    write_site({"index.html": b"tres"}, None, out)
    assert pages(out) == {"index.html": b"tres"}


def test_a_failure_while_writing_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"bueno", "x/index.html": b"x"}, None, out)
    before = snapshot(out)

    def explode(staging: Path) -> int:
        raise RuntimeError("falla a mitad")

    with pytest.raises(RuntimeError):
        write_site({"index.html": b"malo"}, None, out, SearchStep(key="k", run=explode))
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


def test_a_swap_killed_after_publishing_keeps_the_old_site_as_spare(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"viejo"}, None, out)
    write_site({"index.html": b"nuevo"}, None, out)
    spare_folder(out).rename(tmp_path / "_site.old-99")  # killed before the last rename
    recover_interrupted(out)
    assert (out / "index.html").read_bytes() == b"nuevo"
    assert (spare_folder(out) / "index.html").read_bytes() == b"viejo"


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


def test_a_later_search_keeps_the_old_index_and_says_it_is_stale(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    runs: list[int] = []

    def index(root: Path) -> int:
        runs.append(1)
        (root / "pagefind").mkdir()
        (root / "pagefind" / "pagefind.js").write_text(f"indice {len(runs)}", encoding="utf-8")
        return 1

    write_site({"index.html": b"uno"}, None, out, SearchStep(key="a", run=index))
    quick = write_site({"index.html": b"dos"}, None, out, SearchStep("b", index, later=True))
    assert quick.search_stale and len(runs) == 1
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "indice 1"
    full = write_site({"index.html": b"dos"}, None, out, SearchStep(key="b", run=index))
    assert not full.search_stale and len(runs) == 2
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "indice 2"
