"""QR codes of page and donation URLs, as inline SVG."""

import hashlib
import re

import segno
from django import template
from django.utils.safestring import mark_safe

from tongxin.core import keptcache

register = template.Library()

QR_CACHE_SECONDS = 30 * 24 * 3600
# The only SVG page_qr_svg outputs: fixed attributes and path data (M, h, v, m, z, numbers).
QR_SVG_RE = re.compile(
    r'<svg aria-hidden="true" focusable="false" viewBox="[0-9 ]+" class="qr">'
    r'<g transform="scale\([0-9]+\)">'
    r'(?:<path(?: (?:fill|stroke|class)="[#a-z0-9]+"| d="[MmHhVvZz0-9 .\-]+")+/>)+'
    r"</g></svg>"
)


@register.simple_tag
def page_qr_svg(url):
    """`{% page_qr_svg url %}`: an inline SVG QR code of `url`, cached per URL.

    Sized by CSS (no width/height), hidden from screen readers: the caption beside it says
    what it is, and the URL itself is a link on the page already.
    """
    if not url:
        return ""
    key = "tongxin:qr:v1:" + hashlib.sha256(str(url).encode("utf-8")).hexdigest()
    svg = keptcache.get(key)
    if svg is None:
        qr = segno.make(str(url), error="m", micro=False)
        svg = qr.svg_inline(
            scale=4, border=2, dark="#2b1d14", light="#fff", svgclass="qr", omitsize=True
        )
        svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        keptcache.set(key, svg, QR_CACHE_SECONDS)
    # segno encodes the URL as path geometry; the URL itself never becomes markup. What is
    # marked safe is checked to be exactly that shape (also when it comes from the cache),
    # so nothing but an SVG of paths can reach the page through this tag.
    if not QR_SVG_RE.fullmatch(svg):
        return ""
    return mark_safe(svg)  # noqa: S308
