"""Origin markers: private-use code points that never reach a reader.

The converter (tongxin.scripts.convert) reads them to know which script a run of text was
written in, and strips them from every output.
"""

from django.utils.safestring import SafeString

ORIGIN_HANT = "\ue000"
ORIGIN_HANS = "\ue001"
ORIGIN_POP = "\ue002"
OPEN = {"hans": ORIGIN_HANS, "hant": ORIGIN_HANT}


def wrap_origin(text, script):
    wrapped = f"{OPEN.get(script, ORIGIN_HANS)}{text}{ORIGIN_POP}"
    # Adding markers around already-escaped HTML keeps it as safe as it was.
    return SafeString(wrapped) if isinstance(text, SafeString) else wrapped
