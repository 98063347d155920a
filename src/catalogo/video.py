"""Recognize video links, so pages can show a light facade instead of a heavy player."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIDEO_PARAMETER = re.compile(r"(?:^|[&;])v=([^&;]*)")
YOUTUBE_HOSTS = (
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
)


def youtube_id(url: str) -> str | None:
    """The 11-character video id of a YouTube link, or None for any other link."""
    if "youtu" not in url.lower():  # most links: no need to take the address apart
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    candidate: str | None = None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = watched_id(parts.query)
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = parts.path.split("/")[2]
    if candidate and YOUTUBE_ID.match(candidate):
        return candidate
    return None


def link_identity(url: str) -> str:
    """Two URLs that open the same thing share an identity (a YouTube video, say)."""
    video = youtube_id(url)
    if video:
        return f"youtube:{video}"
    return url.rstrip("/")


def watched_id(query: str) -> str | None:
    """The `v` of a query, as parse_qs reads it, without its cost (it decodes every
    parameter): only an escaped value needs decoding."""
    found = VIDEO_PARAMETER.search(query)
    if found is None:
        return None
    value = found.group(1)
    if "%" in value or "+" in value:
        values = parse_qs(query).get("v")
        return values[0] if values else None
    return value or None


def youtube_start(url: str) -> int | None:
    """The start time of a link such as ...&t=7s, in seconds."""
    values = parse_qs(urlsplit(url).query).get("t")
    value = values[0] if values else None
    if not value:
        return None
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def embed_url(video_id: str, start: int | None = None) -> str:
    suffix = f"&start={start}" if start else ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1{suffix}"


def thumbnail_url(video_id: str) -> str:
    return f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"
