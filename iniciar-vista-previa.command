#!/bin/sh
# Vista previa del catálogo en macOS y Linux: doble clic en este archivo (en macOS se abre
# en Terminal) o, en una terminal, «sh iniciar-vista-previa.command». Prepara lo necesario
# (la primera vez tarda un minuto), genera el sitio y lo abre en el navegador; al guardar un
# cambio en catalog/, la página se actualiza sola. Para salir: Ctrl+C o cerrar la ventana.
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then
  PYTHON=python3
elif command -v python >/dev/null 2>&1; then
  PYTHON=python
else
  echo "No se encontró Python 3 en este equipo. Instálalo desde https://www.python.org/downloads/"
  echo "y vuelve a abrir este archivo (la guía del editor lo explica: docs/guia-del-editor.md)."
  printf "Pulsa Intro para cerrar. "
  read -r _
  exit 1
fi
"$PYTHON" build.py serve "$@"
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then
  printf "Pulsa Intro para cerrar. "
  read -r _
fi
exit "$status"
