@echo off
rem Vista previa del catalogo: haz doble clic en este archivo. Prepara lo necesario (la
rem primera vez tarda un minuto), genera el sitio y lo abre en el navegador; al guardar un
rem cambio en catalog\, la pagina se actualiza sola. Para salir: Ctrl+C o cerrar la ventana.
rem (Este archivo va sin tildes a proposito: la consola de Windows las mostraria mal.)
cd /d "%~dp0"
where py >nul 2>nul
if not errorlevel 1 (
  py -3 build.py serve %*
  goto fin
)
rem "python" puede ser el atajo de Microsoft Store, que no es Python: hay que probarlo.
python --version >nul 2>nul
if errorlevel 1 goto sinpython
python build.py serve %*
:fin
if errorlevel 1 pause
exit /b
:sinpython
echo No se encontro Python en este equipo.
echo Instalalo desde https://www.python.org/downloads/ y, en la primera pantalla del
echo instalador, marca "Add python.exe to PATH". Luego vuelve a hacer doble clic aqui.
echo (La guia del editor lo explica paso a paso: docs\guia-del-editor.md)
pause
exit /b 1
