"""Files in a catalog folder that look like records but would not be read: a record saved
by Notepad as `guia.yaml.txt`, a `.yml` or `.json` file, an editor's backup copy. Each gets
a problem with the name to use, instead of being skipped without a word."""

from __future__ import annotations

from catalogo.problems import Problem, Severity

RECORD_SUFFIX = ".yaml"
BACKUP_SUFFIXES = (".bak", ".orig", ".old", ".backup")
NOTEPAD_SUFFIXES = (".yaml.txt", ".yml.txt")


def unread_file_problem(display: str, name: str, siblings: set[str]) -> Problem | None:
    """Why a file named `name` is not read and what to call it, or None if it is not a
    record in disguise. `siblings` are the other names in its folder."""
    lowered = name.lower()
    if is_backup(name):
        target = backup_target(name)
        if target in siblings:
            message = (
                f"es una copia de seguridad de {target} y no se lee; bórrala si ya no la "
                "necesitas"
            )
        else:
            message = (
                "es una copia de seguridad y no se lee: si es el registro que quieres publicar, "
                f"renómbrala a «{target}»; si no, bórrala"
            )
        return Problem(display, None, "", message, Severity.WARNING)
    if lowered.endswith(NOTEPAD_SUFFIXES):
        stem = name[: lowered.rindex(".y")]
        return Problem(
            display,
            None,
            "",
            f"no se lee porque su nombre termina en «.txt» (el Bloc de notas lo añade al "
            f"guardar): renómbralo a «{stem}{RECORD_SUFFIX}» (en el Explorador de Windows, "
            "activa «Vista» → «Extensiones de nombre de archivo» para ver el nombre completo)",
        )
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return None
    if suffix.lower() in ("yml", "yaml") and suffix != "yaml":
        return Problem(
            display,
            None,
            "",
            f"no se lee: la extensión debe ser «.yaml», en minúsculas; renómbralo a «{stem}.yaml»",
        )
    if suffix.lower() == "json":
        return Problem(
            display,
            None,
            "",
            "no se lee: los registros se escriben en YAML, no en JSON; si es un registro, "
            f"guárdalo como «{stem}.yaml»; si no, sácalo de la carpeta del catálogo",
        )
    return None


def is_backup(name: str) -> bool:
    return (
        name.endswith("~")
        or name.lower().endswith(BACKUP_SUFFIXES)
        or (name.startswith("#") and name.endswith("#") and len(name) > 2)
    )


def backup_target(name: str) -> str:
    """The name the backed-up file has (or had): `guia.yaml~`, `guia.yaml.bak`, `guia.bak`
    and `#guia.yaml#` are copies of `guia.yaml`."""
    base = name.rstrip("~")
    if base.startswith("#") and base.endswith("#"):
        base = base[1:-1]
    lowered = base.lower()
    for suffix in BACKUP_SUFFIXES:
        if lowered.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base if base.endswith(RECORD_SUFFIX) else f"{base}{RECORD_SUFFIX}"
