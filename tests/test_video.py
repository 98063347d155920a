"""Video links: which ones are YouTube videos (shown behind a light facade), and where they
start."""

from __future__ import annotations

import pytest

from catalogo.video import embed_url, youtube_id, youtube_start

VIDEO = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO}", VIDEO),
        (f"https://www.youtube.com/watch?feature=share&v={VIDEO}&t=7s", VIDEO),
        (f"https://m.youtube.com/watch?v={VIDEO}", VIDEO),
        (f"https://WWW.YOUTUBE.COM/watch?v={VIDEO}", VIDEO),
        (f"https://youtu.be/{VIDEO}?si=abc", VIDEO),
        (f"https://www.youtube.com/embed/{VIDEO}", VIDEO),
        (f"https://www.youtube-nocookie.com/embed/{VIDEO}", VIDEO),
        (f"https://www.youtube.com/shorts/{VIDEO}", VIDEO),
        ("https://www.youtube.com/watch?v=dQw4w9WgXc%51", VIDEO),  # an escaped letter
        ("https://www.youtube.com/watch?v=corto", None),
        ("https://www.youtube.com/watch?list=PL123", None),
        ("https://www.youtube.com/@canal", None),
        (f"https://ejemplo.org/watch?v={VIDEO}", None),
        ("https://cdn.www.gob.pe/uploads/guia.pdf", None),
    ],
)
def test_youtube_links_are_recognized_and_others_are_not(url: str, expected: str | None) -> None:
    assert youtube_id(url) == expected


def test_a_start_time_reaches_the_player() -> None:
    assert youtube_start(f"https://youtu.be/{VIDEO}?t=1m30s") == 90
    assert youtube_start(f"https://youtu.be/{VIDEO}?t=75") == 75
    assert youtube_start(f"https://youtu.be/{VIDEO}") is None
    assert embed_url(VIDEO, 90).endswith(f"/embed/{VIDEO}?autoplay=1&start=90")
