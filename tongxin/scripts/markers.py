"""Origin markers: private-use code points that never reach a reader.

The converter (tongxin.scripts.convert, which defines them) reads them to know which script
a run of text was written in, and strips them from every output.
"""

from django.utils.safestring import SafeString

from .convert import ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP, wrap

__all__ = ["ORIGIN_HANS", "ORIGIN_HANT", "ORIGIN_POP", "wrap_origin"]


def wrap_origin(text, script):
    wrapped = wrap(str(text), script if script in ("hans", "hant") else "hans")
    # Adding markers around already-escaped HTML keeps it exactly as safe as it was.
    return SafeString(wrapped) if isinstance(text, SafeString) else wrapped
