"""One spelling per slug: NFKC (full-width ａｂｃ → abc, compatibility forms) and lower case.

Wagtail compares slugs as typed, so ａbc, ABC and abc could be three sibling pages whose
addresses readers (and spammers impersonating a page) cannot tell apart. Every page saves its
slug normalised, and a slug whose normalised form a sibling already has is refused.
"""

import unicodedata


def normalise_slug(slug):
    return unicodedata.normalize("NFKC", slug or "").lower()


def slug_taken(slug, parent_page, page=None):
    """Whether a sibling under `parent_page` (other than `page`) has the same normalised slug.

    Siblings saved before slugs were normalised may be spelled otherwise, so every sibling's
    slug is normalised here, not only compared as stored.
    """
    if parent_page is None:
        return False
    siblings = parent_page.get_children()
    if page is not None and page.pk:
        siblings = siblings.not_page(page)
    wanted = normalise_slug(slug)
    return any(normalise_slug(s) == wanted for s in siblings.values_list("slug", flat=True))
