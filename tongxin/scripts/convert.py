"""The conversion engine's public face: callers import from here.

The work is split by job: ``engine`` (OpenCC configs, editor rules, markers, plain text),
``html_walker`` (rendered HTML, attributes, JSON-LD) and ``ambiguity`` (the editors' report).
"""

from .ambiguity import ambiguous_characters, ambiguous_report, build_ambiguous_file
from .engine import (
    DEFAULT_VARIANT,
    HANS,
    HANT,
    KEEP_CLOSE,
    KEEP_OPEN,
    NO_RULES,
    ORIGIN_HANS,
    ORIGIN_HANT,
    ORIGIN_POP,
    SCRIPTS,
    VARIANTS,
    Rules,
    config_for,
    convert_text,
    strip_markers,
    wrap,
)
from .html_walker import (
    JSON_LD_VERBATIM_KEYS,
    VERBATIM_ELEMENTS,
    VISIBLE_ATTRIBUTES,
    VISIBLE_META,
    convert_html,
)

__all__ = [
    "DEFAULT_VARIANT",
    "HANS",
    "HANT",
    "JSON_LD_VERBATIM_KEYS",
    "KEEP_CLOSE",
    "KEEP_OPEN",
    "NO_RULES",
    "ORIGIN_HANS",
    "ORIGIN_HANT",
    "ORIGIN_POP",
    "SCRIPTS",
    "VARIANTS",
    "VERBATIM_ELEMENTS",
    "VISIBLE_ATTRIBUTES",
    "VISIBLE_META",
    "Rules",
    "ambiguous_characters",
    "ambiguous_report",
    "build_ambiguous_file",
    "config_for",
    "convert_html",
    "convert_text",
    "strip_markers",
    "wrap",
]
