"""The live preview: its web side (web.py) and the page script and style it serves."""
