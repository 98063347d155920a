#!/usr/bin/env python3
"""Write a realistic synthetic catalog of N records, in our own format, for benchmarks.

    python3 benchmarks/make_catalog.py 10000 /tmp/catalogo-10000 [--seed 1]

The output is a complete catalog folder: the real vocabularies, sections and series are
copied from catalog/ (so every value is one an editor could write), and N records are
generated into the section folders. Standard library only, and deterministic: the same N
and seed always give the same bytes, so numbers from different runs compare.

Distributions follow the real catalog and the benchmark brief: titles of 40-200 characters,
descriptions of 0-1200 characters of Spanish prose in Markdown (paragraphs, a few lists,
emphasis and links), 0-4 audiences, 0-2 institutions, 1-3 links (PDF, web page, YouTube
video; Drive folders for radio spots), years 2017-2024 (some records without a year, a few
with two), about 40 % videos, radio spots in Spanish and Quechua Cusco, series items with
`serie`/`orden`, related records, editorial notes and `fecha_alta`.

Every record validates (`build.py validate --catalog OUT` exits 0); some carry the same
warnings real records do (no description, no year, Drive links, editorial notes).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import shutil
import string
import sys
import textwrap
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_CATALOG = ROOT / "catalog"
NOT_COPIED = ("_enlaces.yaml",)  # what `links` found at the real catalog's addresses
MARKER = ".catalogo-sintetico.json"
GENERATOR_VERSION = 1
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/recurso.schema.json\n"

# --- vocabulary ids (must exist in the real catalog/_*.yaml files; checked at start) ---
AUDIENCES = [
    "policia",
    "fiscalia",
    "jueces",
    "defensa-publica",
    "medicina-legal",
    "salud",
    "servicios-proteccion",
    "gobiernos-locales",
    "servicio-consular",
    "operadores-justicia",
    "gestores-publicos",
]
INSTITUTIONS = [
    "oit",
    "poder-judicial",
    "ministerio-publico",
    "pnp",
    "mimp",
    "minsa",
    "mininter",
    "rree",
    "minjusdh",
    "iml",
    "idehpucp",
    "pucp",
]
# Document types by section, with weights (videos and spots go to «audiovisual»).
DOCUMENT_TYPES = {
    "objetivo-1": {
        "estudio": 10,
        "informe": 6,
        "guia": 10,
        "protocolo": 8,
        "manual": 5,
        "boletin": 8,
        "jurisprudencia": 8,
        "libro": 5,
        "capacitacion": 8,
    },
    "objetivo-2": {
        "guia": 14,
        "protocolo": 8,
        "lista-verificacion": 10,
        "capacitacion": 12,
        "cartilla": 6,
        "lineamientos": 6,
        "estudio": 5,
        "manual": 4,
    },
    "objetivo-3": {"politica": 10, "lineamientos": 8, "protocolo": 5, "informe": 5, "estudio": 3},
}
DOCUMENT_SECTIONS = {"objetivo-1": 40, "objetivo-2": 48, "objetivo-3": 12}
# Series of the real catalog: (section, type of its items).
SERIES = {
    "boletines-jurisprudenciales": ("objetivo-1", "boletin"),
    "v-congreso-internacional-trata": ("objetivo-1", "libro"),
    "listas-verificacion-ecv": ("objetivo-2", "lista-verificacion"),
    "guias-deteccion-derivacion": ("objetivo-2", "guia"),
    "guias-procedimientos-rree": ("objetivo-2", "guia"),
    "modulos-lgbti": ("objetivo-2", "capacitacion"),
    "politica-nacional-trata-2030": ("objetivo-3", "politica"),
    "sistema-monitoreo-videotutoriales": ("audiovisual", "video"),
    "spots-radiales": ("audiovisual", "spot-radial"),
}
AUDIOVISUAL = ("video", "spot-radial")
SHARE_VIDEO = 0.40
SHARE_SPOT = 0.05
SHARE_SERIES = 0.08

# --- Spanish text material (the domain of the real catalog) ---
TYPE_TITLES = {
    "estudio": ["Estudio sobre", "Análisis de", "Investigación sobre", "Diagnóstico de"],
    "informe": ["Informe de análisis sobre", "Informe técnico sobre", "Informe anual sobre"],
    "guia": ["Guía para", "Guía operativa para", "Guía de procedimientos para", "Guía práctica de"],
    "protocolo": ["Protocolo para", "Protocolo intersectorial para", "Protocolo de actuación en"],
    "manual": ["Manual para", "Manual operativo de", "Manual de capacitación sobre"],
    "boletin": ["Boletín jurisprudencial sobre"],
    "jurisprudencia": ["Acuerdo plenario sobre", "Sentencia de casación sobre", "Resolución sobre"],
    "libro": ["Compendio sobre", "Libro de ponencias sobre", "Estudios multidisciplinares sobre"],
    "capacitacion": ["Curso de capacitación sobre", "Módulo formativo sobre", "Taller sobre"],
    "cartilla": ["Cartilla informativa sobre", "Cartilla de orientación para"],
    "lista-verificacion": ["Lista de verificación para", "Indicadores para", "Lista de ítems para"],
    "lineamientos": ["Lineamientos para", "Orientaciones técnicas para", "Modelo operacional de"],
    "politica": ["Política regional frente a", "Plan de acción contra", "Estrategia para"],
    "video": ["Video:", "Video corto:", "Videotutorial:", "Documental:", "Buenas prácticas en"],
}
TOPICS = [
    "la investigación del delito de trata de personas",
    "la identificación de víctimas de trata de personas",
    "la atención especializada a niñas, niños y adolescentes víctimas de trata",
    "la reintegración de sobrevivientes de trata de personas",
    "la persecución de la explotación sexual de adolescentes",
    "la aplicación del Enfoque Centrado en la Víctima",
    "el cuidado informado en el trauma",
    "la protección de adolescentes LGBTI víctimas de trata",
    "la coordinación intersectorial contra la trata de personas",
    "el trabajo forzoso y otras formas de explotación laboral",
    "la explotación laboral en la minería ilegal",
    "la captación de adolescentes mediante redes sociales",
    "la derivación de casos a los servicios de protección",
    "la evaluación psicológica forense de víctimas",
    "la acreditación de la situación de vulnerabilidad",
    "la prevención de la trata en zonas de frontera",
    "la gestión de centros de acogida residencial",
    "la cooperación internacional contra la trata de personas",
    "la reparación civil a las víctimas de trata",
    "la entrevista única en cámara Gesell",
    "el tráfico ilícito de migrantes y la trata de personas",
    "la explotación sexual en contextos de viaje y turismo",
    "la mendicidad forzada de niñas y niños",
    "la servidumbre doméstica de adolescentes",
    "los delitos conexos a la trata de personas",
    "la asistencia consular a víctimas peruanas en el exterior",
    "la atención en salud mental a sobrevivientes",
    "la detección temprana por el personal de serenazgo",
    "la fiscalización municipal de establecimientos",
    "el registro y monitoreo de casos de trata",
    "los medios de vida sostenibles para jóvenes sobrevivientes",
    "la prueba indiciaria en los procesos por trata de personas",
]
AUDIENCE_PHRASES = [
    "dirigido a fiscales especializados",
    "para efectivos de la Policía Nacional",
    "para operadores de justicia",
    "para profesionales de la salud",
    "para el personal de serenazgo",
    "para defensoras y defensores públicos",
    "para juezas y jueces",
    "para proveedores de servicios de protección",
    "para gobiernos regionales y locales",
    "para el personal consular",
    "para médicos legistas y psicólogos",
]
PLACES = [
    "Cusco",
    "Puno",
    "Madre de Dios",
    "Loreto",
    "Lima Metropolitana",
    "Tumbes",
    "Arequipa",
    "Junín",
    "Ucayali",
    "La Libertad",
    "Piura",
    "Ayacucho",
    "Huánuco",
    "San Martín",
    "Tacna",
    "el Callao",
    "Apurímac",
    "Cajamarca",
    "Lambayeque",
    "Amazonas",
    "Pasco",
    "Huancavelica",
    "Moquegua",
    "Áncash",
]
SPOT_THEMES = [
    "Padrinazgo",
    "Sensibilización",
    "Captación",
    "Persecución",
    "Denuncia",
    "Integración",
    "Redes sociales",
    "Trabajo infantil",
    "Falsas ofertas de empleo",
    "Rutas seguras",
]
SUBJECTS = ["Este documento", "Este material", "La publicación", "Este instrumento"]
KIND_SUBJECTS = {
    "estudio": ["Este estudio", "La investigación"],
    "informe": ["El informe", "Este informe"],
    "guia": ["La presente guía", "Esta guía"],
    "protocolo": ["El protocolo", "Este protocolo"],
    "manual": ["El manual", "Este manual"],
    "boletin": ["Este número del boletín", "El boletín"],
    "jurisprudencia": ["La resolución", "El acuerdo plenario"],
    "libro": ["El libro", "Esta obra"],
    "capacitacion": ["El curso", "Este módulo"],
    "cartilla": ["La cartilla", "Esta cartilla"],
    "lista-verificacion": ["La lista de verificación", "Esta herramienta"],
    "lineamientos": ["El documento técnico", "Estos lineamientos"],
    "politica": ["La política", "Este plan"],
    "video": ["Este video", "El video", "Esta pieza audiovisual", "El videotutorial"],
    "spot-radial": ["Este spot radial", "El spot"],
}
VERBS = [
    "presenta",
    "analiza",
    "sistematiza",
    "propone",
    "describe",
    "desarrolla",
    "reúne",
    "examina",
    "establece",
    "ofrece",
]
OBJECTS = [
    "los criterios para {topic}",
    "las buenas prácticas identificadas en {topic}",
    "los procedimientos que orientan {topic}",
    "las principales dificultades en {topic}",
    "una ruta de actuación para {topic}",
    "los estándares internacionales aplicables a {topic}",
    "las lecciones aprendidas sobre {topic}",
    "los indicadores que permiten medir {topic}",
]
PURPOSES = [
    "con el fin de fortalecer la respuesta del Estado",
    "para mejorar la atención de las víctimas sobrevivientes",
    "con el objetivo de evitar la revictimización",
    "para garantizar el interés superior del niño",
    "a fin de optimizar la persecución del delito",
    "para facilitar la coordinación entre instituciones",
    "con un enfoque de derechos humanos, género e interculturalidad",
]
FOLLOW_UPS = [
    "Fue elaborado con la asistencia técnica de la OIT y validado por {institution}.",
    "Incluye casos de {place} y {place2}, donde la incidencia del delito es mayor.",
    "Se aprobó mediante Resolución {number}-{year}-{acronym} y es de cumplimiento obligatorio.",
    "La información proviene de {count} expedientes fiscales y judiciales revisados entre "
    "{year} y {year2}.",
    "Sus recomendaciones se dirigen a {audience_text}.",
    "Además, recoge los aportes de {count} talleres realizados en {place}.",
    "El documento complementa la Política Nacional frente a la Trata de Personas al 2030.",
    "Cada capítulo termina con preguntas para la reflexión y ejercicios prácticos.",
    "Se recomienda su lectura junto con los demás instrumentos de la serie.",
    "La versión amigable resume los contenidos para su difusión entre la población.",
    "Contiene fichas de registro, flujogramas y modelos de oficio listos para usar.",
    "Las entrevistas se realizaron en español y en quechua, con apoyo de intérpretes.",
]
LIST_ITEMS = [
    "identificación de indicios de captación",
    "entrevista a la presunta víctima",
    "comunicación inmediata a la fiscalía",
    "medidas de protección y albergue",
    "evaluación médico legal y psicológica",
    "derivación a los servicios de salud",
    "seguimiento del plan de reintegración",
    "coordinación con la Unidad de Protección Especial",
    "recojo y preservación de evidencias",
    "atención consular y retorno seguro",
]
INSTITUTION_NAMES = [
    "el Ministerio Público",
    "el Poder Judicial",
    "el Ministerio de la Mujer y Poblaciones Vulnerables",
    "el Ministerio del Interior",
    "la Policía Nacional del Perú",
    "el Instituto de Medicina Legal",
]
ACRONYMS = ["MIMP", "IN", "MP-FN", "JUS", "SA", "RE"]
WEB_HOSTS = [
    "www.gob.pe/institucion/mimp/informes-publicaciones",
    "idehpucp.pucp.edu.pe/lista_publicaciones",
    "aula.lim.ilo.org/mod/page/view.php?id=",
    "www.pj.gob.pe/wps/wcm/connect/cortesuprema",
    "www.ilo.org/es/publications",
    "repositorio.pucp.edu.pe/index/handle/123456789",
]
LINK_LABELS = ["Tomo I", "Tomo II", "Versión amigable", "Anexos", "Resumen ejecutivo"]
NOTES = [
    "La fuente no indica el año de publicación; comprobar en el PDF.",
    "El título de la fuente difiere del de la portada del documento; se copia el de la fuente.",
    "La fuente imprime dos enlaces para este recurso; se registra el primero.",
    "Comprobar si la institución autora es la que figura en la portada.",
]


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", " ", plain.lower()).split()
    return "-".join(words)


def yaml_text(value: str) -> str:
    """A YAML scalar for one line of text: plain when safe, otherwise double-quoted."""
    risky = ": " in value or " #" in value or value[0] in "-?:,[]{}#&*!|>'\"%@`"
    return json.dumps(value, ensure_ascii=False) if risky else value


def yaml_block(key: str, text: str) -> str:
    """A Markdown text as a block scalar: folded when it is one paragraph, literal otherwise."""
    if "\n" not in text:
        lines = textwrap.wrap(text, 88, break_long_words=False, break_on_hyphens=False)
        return f"{key}: >-\n" + "".join(f"  {line}\n" for line in lines)
    out = [f"{key}: |-\n"]
    for paragraph in text.split("\n"):
        if not paragraph:
            out.append("\n")
        elif paragraph.startswith("- "):
            out.append(f"  {paragraph}\n")
        else:
            wrapped = textwrap.wrap(paragraph, 88, break_long_words=False, break_on_hyphens=False)
            out.extend(f"  {line}\n" for line in wrapped)
    return "".join(out)


class Generator:
    def __init__(self, count: int, seed: int) -> None:
        self.count = count
        self.rng = random.Random(f"catalogo-bench:{seed}")
        self.series_next = dict.fromkeys(SERIES, 1)

    # --- text ---
    def sentence(self, topic: str, kind: str) -> str:
        rng = self.rng
        obj = rng.choice(OBJECTS).format(topic=topic).replace(" a el ", " al ")
        subject = rng.choice(KIND_SUBJECTS[kind] + ([] if kind in AUDIOVISUAL else SUBJECTS))
        text = f"{subject} {rng.choice(VERBS)} {obj}, {rng.choice(PURPOSES)}."
        if rng.random() < 0.25:
            text = text.replace(
                "Enfoque Centrado en la Víctima", "**Enfoque Centrado en la Víctima**"
            )
            text = text.replace(" trata de personas", " *trata de personas*", 1)
        return text

    def follow_up(self) -> str:
        rng = self.rng
        year = rng.randint(2012, 2022)
        text = rng.choice(FOLLOW_UPS).format(
            institution=rng.choice(INSTITUTION_NAMES),
            place=rng.choice(PLACES),
            place2=rng.choice(PLACES),
            number=f"N.° {rng.randint(1, 999):03d}",
            year=year,
            year2=year + rng.randint(1, 4),
            acronym=rng.choice(ACRONYMS),
            count=rng.randint(3, 240),
            audience_text=rng.choice(AUDIENCE_PHRASES).split(" ", 1)[1],
        )
        if rng.random() < 0.08:
            url = f"https://www.gob.pe/institucion/mimp/normas-legales/{rng.randint(10**5, 10**7)}"
            text += f" Ver también la [norma de aprobación]({url})."
        return text

    def description(self, topic: str, kind: str) -> str | None:
        rng = self.rng
        if rng.random() < 0.22:
            return None
        target = int(rng.triangular(60, 1200, 380))
        paragraphs: list[list[str]] = [[self.sentence(topic, kind)]]
        length = len(paragraphs[0][0])
        items_done = False
        while length < target:
            roll = rng.random()
            if roll < 0.12 and not items_done and length + 120 < 1200:
                items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
                lead = "Se abordan las siguientes etapas:"
                block = [lead, "", *(f"- {item[0].upper()}{item[1:]}." for item in items)]
                paragraphs.append(["\n".join(block)])
                items_done = True
                length += sum(len(line) + 3 for line in block)
                paragraphs.append([])
                continue
            if roll < 0.3 and paragraphs[-1]:
                paragraphs.append([])
            if rng.random() < 0.6:
                extra = self.follow_up()
            else:
                extra = self.sentence(rng.choice(TOPICS), kind)
            if length + len(extra) + 1 > 1200:
                break
            paragraphs[-1].append(extra)
            length += len(extra) + 1
        text = "\n\n".join(" ".join(p) for p in paragraphs if p)
        return text[:1200].rstrip()

    def title(self, kind: str, topic: str) -> str:
        rng = self.rng
        target = int(rng.triangular(40, 200, 95))
        parts = [rng.choice(TYPE_TITLES[kind]), topic]
        extras = [
            rng.choice(AUDIENCE_PHRASES),
            f"en {rng.choice(PLACES)}",
            f"({rng.randint(2017, 2024)})",
            f"en el marco de {rng.choice(TOPICS)}",
        ]
        for extra in extras:
            if len(" ".join(parts)) + len(extra) + 1 > target:
                break
            parts.append(extra)
        text = " ".join(parts)
        text = text[0].upper() + text[1:]
        while len(text) < 40:
            text += f" en {rng.choice(PLACES)}"
        if len(text) > 200:
            text = text[:200].rsplit(" ", 1)[0].rstrip(",")
        return text

    # --- links ---
    def youtube(self) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        video = "".join(self.rng.choice(alphabet) for _ in range(11))
        suffix = f"&t={self.rng.randint(5, 300)}s" if self.rng.random() < 0.05 else ""
        return f"https://www.youtube.com/watch?v={video}{suffix}"

    def pdf(self, title: str) -> str:
        name = "%20".join(title.split()[:6]).replace(",", "")
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        file_id = self.rng.randint(10**6, 9 * 10**6)
        return f"https://cdn.www.gob.pe/uploads/document/file/{file_id}/{name}.pdf"

    def web(self) -> str:
        base = self.rng.choice(WEB_HOSTS)
        number = self.rng.randint(100, 999999)
        return f"https://{base}{number}" if base.endswith("=") else f"https://{base}/{number}/"

    def links(self, kind: str, title: str) -> list[dict[str, str]]:
        rng = self.rng
        count = rng.choices([1, 2, 3], [80, 15, 5])[0]
        url, form = self.first_link(kind, title)
        links = [{"url": url, "formato": form}]
        for index in range(1, count):
            if rng.random() < 0.5:
                link = {"url": self.pdf(title), "formato": "pdf"}
            elif kind == "video" or rng.random() < 0.15:
                link = {"url": self.youtube(), "formato": "video"}
            else:
                link = {"url": self.web(), "formato": "web"}
            if rng.random() < 0.6:
                link["etiqueta"] = LINK_LABELS[(index - 1) % len(LINK_LABELS)]
            links.append(link)
        return links

    def first_link(self, kind: str, title: str) -> tuple[str, str]:
        if kind == "video":
            return self.youtube(), "video"
        if kind == "spot-radial":
            folder = "".join(
                self.rng.choice(string.ascii_letters + string.digits) for _ in range(33)
            )
            return f"https://drive.google.com/drive/folders/{folder}", "carpeta"
        if self.rng.random() < 0.25:
            return self.web(), "web"
        return self.pdf(title), "pdf"

    # --- records ---
    def plan(self) -> list[dict[str, object]]:
        """Who each record is (section, type, series, language) before any text."""
        rng = self.rng
        plans: list[dict[str, object]] = []
        spot_language = "es"
        for _ in range(self.count):
            roll = rng.random()
            entry: dict[str, object]
            if roll < SHARE_VIDEO:
                entry = {"seccion": "audiovisual", "tipo": "video"}
            elif roll < SHARE_VIDEO + SHARE_SPOT:
                entry = {"seccion": "audiovisual", "tipo": "spot-radial", "idioma": spot_language}
                spot_language = "quz" if spot_language == "es" else "es"
            else:
                section = rng.choices(list(DOCUMENT_SECTIONS), list(DOCUMENT_SECTIONS.values()))[0]
                types = DOCUMENT_TYPES[section]
                entry = {
                    "seccion": section,
                    "tipo": rng.choices(list(types), list(types.values()))[0],
                }
            if rng.random() < SHARE_SERIES:
                matching = [
                    key
                    for key, (sec, kind) in SERIES.items()
                    if sec == entry["seccion"] and kind == entry["tipo"]
                ]
                fallback = [key for key, (sec, _) in SERIES.items() if sec == entry["seccion"]]
                key = rng.choice(matching or fallback)
                entry["seccion"], entry["tipo"] = SERIES[key]
                entry["serie"] = key
                entry["orden"] = self.series_next[key]
                self.series_next[key] += 1
            plans.append(entry)
        return plans

    def record(self, number: int, plan: dict[str, object], ids: list[str]) -> tuple[str, str]:
        rng = self.rng
        kind = str(plan["tipo"])
        topic = rng.choice(TOPICS)
        language = str(plan.get("idioma", "es"))
        if kind == "spot-radial":
            theme = rng.choice(SPOT_THEMES)
            name = "Quechua Cusco" if language == "quz" else "Español"
            title = f"Spot radial: {theme} ({name}), campaña en {rng.choice(PLACES)}"
        elif kind == "boletin" and plan.get("serie"):
            title = (
                "Boletín Jurisprudencial sobre Trata de Personas, Trabajo Forzoso y otras Formas "
                f"de Explotación. Número {plan['orden']}"
            )
        else:
            title = self.title(kind, topic)
        record_id = f"{slugify(title)[:60].strip('-')}-{number:05d}"
        lines = [SCHEMA_LINE, f"titulo: {yaml_text(title)}\n", f"tipo: {kind}\n"]
        roll = rng.random()
        if kind != "spot-radial" and roll > 0.18:
            year = rng.randint(2017, 2024)
            if roll > 0.96 and year < 2024:
                lines.append(f"anio: [{year}, {year + 1}]\n")
            else:
                lines.append(f"anio: {year}\n")
            if rng.random() < 0.08:
                lines.append(f"mes: {rng.randint(1, 12)}\n")
        if plan.get("serie"):
            lines.append(f"serie: {plan['serie']}\n")
            lines.append(f"orden: {plan['orden']}\n")
        if language != "es":
            lines.append(f"idioma: {language}\n")
        description = self.description(topic, kind)
        if description:
            lines.append(yaml_block("descripcion", description))
        audiences = rng.sample(AUDIENCES, rng.choices([0, 1, 2, 3, 4], [35, 35, 18, 8, 4])[0])
        if audiences:
            lines.append(f"publico: [{', '.join(audiences)}]\n")
        institutions = rng.sample(INSTITUTIONS, rng.choices([0, 1, 2], [55, 35, 10])[0])
        if institutions:
            lines.append(f"instituciones: [{', '.join(institutions)}]\n")
        lines.append("enlaces:\n")
        for link in self.links(kind, title):
            lines.append(f"  - url: {link['url']}\n")
            lines.append(f"    formato: {link['formato']}\n")
            if "etiqueta" in link:
                lines.append(f"    etiqueta: {link['etiqueta']}\n")
        if number > 1 and rng.random() < 0.12:
            related = sorted({ids[rng.randrange(len(ids))] for _ in range(rng.randint(1, 2))})
            lines.append(f"relacionados: [{', '.join(related)}]\n")
        added = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 1061))
        lines.append(f"fecha_alta: {added.isoformat()}\n")
        if rng.random() < 0.15:
            lines.append("notas_editoriales:\n")
            lines.append(f"  - {json.dumps(rng.choice(NOTES), ensure_ascii=False)}\n")
        if rng.random() < 0.03:
            lines.append("correcciones:\n  - campo: titulo\n")
            lines.append(
                f"    original: {json.dumps(title.replace('ó', 'o', 1), ensure_ascii=False)}\n"
            )
            lines.append('    motivo: "tilde omitida en la fuente"\n')
        return record_id, "".join(lines)


def check_vocabularies(source: Path) -> None:
    """Fail early if the real vocabularies no longer have the ids this generator uses."""
    texts = {name: (source / name).read_text(encoding="utf-8") for name in settings_files(source)}
    wanted = {
        "_publicos.yaml": AUDIENCES,
        "_instituciones.yaml": INSTITUTIONS,
        "_series.yaml": list(SERIES),
        "_tipos.yaml": [*TYPE_TITLES, "spot-radial"],
        "_idiomas.yaml": ["es", "quz"],
        "_formatos.yaml": ["pdf", "web", "video", "carpeta"],
        "_secciones.yaml": [*DOCUMENT_SECTIONS, "audiovisual"],
    }
    for name, ids in wanted.items():
        keys = set(re.findall(r"^([a-z0-9-]+):", texts[name], re.MULTILINE))
        missing = [key for key in ids if key not in keys]
        if missing:
            raise SystemExit(f"{name} no longer defines {missing}; update make_catalog.py")


def settings_files(source: Path) -> list[str]:
    """The source catalog's settings files (vocabularies, sections, series, the ways to
    explore it): whichever the generator version that reads it has."""
    return sorted(p.name for p in source.glob("_*.yaml") if p.name not in NOT_COPIED)


def generate(count: int, out: Path, seed: int = 1, source: Path = REAL_CATALOG) -> Path:
    """Write the catalog; reuse `out` untouched if it already holds the same generation."""
    settings = settings_files(source)
    stamp = {"records": count, "seed": seed, "version": GENERATOR_VERSION, "settings": settings}
    marker = out / MARKER
    if marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == stamp:
                return out
        except ValueError:
            pass
    if out.exists():
        if not marker.is_file() and any(out.iterdir()):
            raise SystemExit(f"{out} exists and is not a synthetic catalog; choose another folder")
        shutil.rmtree(out)
    check_vocabularies(source)
    out.mkdir(parents=True)
    for name in settings:
        shutil.copyfile(source / name, out / name)
    generator = Generator(count, seed)
    plans = generator.plan()
    ids: list[str] = []
    folders: set[str] = set()
    for number, plan in enumerate(plans, start=1):
        record_id, text = generator.record(number, plan, ids)
        ids.append(record_id)
        section = str(plan["seccion"])
        if section not in folders:
            (out / section).mkdir()
            folders.add(section)
        (out / section / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    marker.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of records")
    parser.add_argument("out", type=Path, help="catalog folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--source",
        type=Path,
        default=REAL_CATALOG,
        help="catalog whose vocabularies and settings to copy (default: catalog/)",
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    generate(args.count, args.out, args.seed, args.source)
    print(f"{args.count} records written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
