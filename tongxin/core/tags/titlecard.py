"""`{% title_card_poster page number %}`: a generated poster for a video without one.

A video that waits for the reader to press play (preload="none") and has no poster shows a
black box. Instead its `poster` is a title card: an SVG drawn from the page's title (and an
episode's number), never a photo, as a data: URI (CSP's img-src allows data:, and the card
costs no request or query). Attributes holding URLs are not converted by the rendition
converter, so the texts are converted here, into the reader's script.
"""

import base64

from django import template
from django.template.loader import render_to_string

from tongxin.scripts.rendition import text_for_script

register = template.Library()

# Characters per line at the card's font size, and lines at most: a longer title is cut.
LINE = 16
LINES = 2


def _lines(title):
    title = " ".join(str(title or "").split())
    lines = [title[i : i + LINE] for i in range(0, len(title), LINE)][:LINES]
    if len(title) > LINE * LINES:
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def title_card_svg(title, kicker="", lang="zh-Hans"):
    return render_to_string(
        "components/title_card.svg", {"lines": _lines(title), "kicker": kicker, "lang": lang}
    )


def data_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@register.simple_tag(takes_context=True)
def title_card_poster(context, page, number=None):
    request = context.get("request")
    script = getattr(request, "script", None)
    target = getattr(script, "code", "hans")
    title = getattr(page, "title", "") or ""
    title = text_for_script(title, target, source=getattr(page, "script", "hans"), page=page)
    kicker = text_for_script(f"第 {number} 集", target) if number else ""
    return data_uri(title_card_svg(title, kicker, getattr(script, "lang", "zh-Hans")))
