"""Values derived from public content, kept under the content state.

What the public sees changes only when content is published, unpublished, moved or deleted,
when a snippet, consent or restriction changes (each bumps the content version), or when the
clock passes the next expiry (tongxin.core.visibility.next_change): the content state names
all of these (tongxin.core.contentversion.content_state). A value computed from public
content (an episode's previous and next episode, say) is the same for as long as the state
holds, so it is kept under it, in each process and in the shared cache (tongxin.core.
keptcache), with the release id, since a deploy may change how it is computed.
"""

from . import keptcache
from .contentversion import content_state
from .pagecache import release_id

STATE_SECONDS = 24 * 3600


def kept_for_state(name, parts, build):
    """`build()` for `name` and `parts` (a tuple of ids), once per content state."""
    suffix = ":".join(str(part) for part in parts)
    key = f"tongxin:state:{name}:{release_id()}:{content_state()}:{suffix}"
    found = keptcache.get(key)
    if found is None:
        found = (build(),)  # wrapped: a None result is kept too
        keptcache.set(key, found, STATE_SECONDS)
    return found[0]
