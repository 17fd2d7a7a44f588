"""The bridge between Django and the conversion engine: which rules, which variant."""

from .markers import ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP

LANGUAGE_SCRIPT = {"zh-hans": "hans", "zh-hant": "hant"}


def script_for_language(language):
    return LANGUAGE_SCRIPT.get((language or "").lower(), "hans")


def strip_markers(text):
    for marker in (ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP):
        text = text.replace(marker, "")
    return text


def render_for_script(html, script, page=None):
    return strip_markers(html)


def render_response_for_script(response, script, page=None):
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
        return response
    html = response.content.decode(response.charset or "utf-8")
    response.content = render_for_script(html, script, page=page).encode("utf-8")
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
