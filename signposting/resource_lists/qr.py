"""QR codes pointing at live listings, made on the server with segno."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=4096)
def qr_png_data_uri(url: str) -> str:
    """A PNG ``data:`` URI of a QR code for ``url``.

    PNG rather than SVG so the same bytes go into the print view and the PDF, and a
    test can pull the image out of either and decode it. The 4-module quiet zone is
    what scanners (and zbar) expect.

    One pixel per module: the document scales it up with ``image-rendering:
    pixelated`` (WeasyPrint writes ``/Interpolate false``), so it prints as sharp as
    a big PNG while WeasyPrint decodes and re-encodes an image about 40 pixels wide
    instead of 160, 200 times: about a second of a 200-item PDF.
    """
    # A fixed mask skips segno's search for the best of eight (~80% of its time); any
    # mask decodes, and a 200-item list then makes its codes in about a second.
    qr = segno.make(url, error="m", micro=False, mask=4)
    return str(qr.png_data_uri(scale=1, border=4))
