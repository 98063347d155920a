"""Catálogo: a static catalog website generator (YAML records -> validated -> static site)."""

__version__ = "0.1.0"
