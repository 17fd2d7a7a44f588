"""Interface text in the reader's script: the translation catalogues write it, the converter
must leave it alone.

Templates translate their UI strings with `{% translate %}` / `{% blocktranslate %}` (the
zh_Hant catalogue is written in Taiwan usage: 搜尋, 影片, 預設字級). The converter would
otherwise treat that text as simplified and convert it a second time; while a public answer
is being rendered (`RenditionMiddleware`, `TongxinPage.serve_preview`), the project's `i18n`
template library (`tongxin.scripts.i18n_tags`, loaded in place of Django's) marks each
translation with the script of the active language, so the converter keeps it as written,
and a string the catalogue lacks as simplified, so the converter still converts it.
Outside such a render (the admin, e-mails, the 429/503 pages written without the converter)
nothing is marked.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from . import script as scripts
from .markers import wrap_origin

_marking = ContextVar("tongxin_ui_marking", default=False)


@contextmanager
def marking(on=True):
    """Within this block, translated template text is marked with its script (or not)."""
    token = _marking.set(on)
    try:
        yield
    finally:
        _marking.reset(token)


def mark(text, translated=True):
    """`text` marked for the converter when a converted answer is being rendered, unchanged
    otherwise: a translation is in the active language's script; text the catalogue lacks
    (`translated=False`) is its simplified msgid, which the converter must still convert."""
    if not _marking.get() or not text:
        return text
    return wrap_origin(text, scripts.active().code if translated else scripts.HANS.code)
