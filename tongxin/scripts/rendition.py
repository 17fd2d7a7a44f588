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
