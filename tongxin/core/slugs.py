"""Slugs: one spelling each, and readable pinyin for Chinese titles.

One spelling per slug: NFKC (full-width ａｂｃ → abc, compatibility forms) and lower case.

Wagtail compares slugs as typed, so ａbc, ABC and abc could be three sibling pages whose
addresses readers (and spammers impersonating a page) cannot tell apart. Every page saves its
slug normalised, and a slug whose normalised form a sibling already has is refused; so is one
that differs only by letters of another alphabet that look like Latin ones (Cyrillic о, Greek
ο in tоngxin).

Readable slugs: a Chinese title becomes lower-case, hyphenated pinyin, one hyphen between
words (jieba's), capped in length: 童心守护行动启动仪式 → tongxin-shouhu-xingdong-qidong-yishi.
Used by the page editor as the editor types the title (tongxin.editorial.views), by the page
form when the slug was left empty or is still Wagtail's Chinese auto-slug, and by the
importer for a page given by `parent` without a path.
"""

import re
import unicodedata

from django.db.models import Q
from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin


def normalise_slug(slug):
    return unicodedata.normalize("NFKC", slug or "").lower()


# Letters of other alphabets that look like Latin ones in a browser's address bar: a slug
# written with them (tоngxin with a Cyrillic о) impersonates the Latin one. NFKC does not
# fold them; the comparison below does (the slug is stored as typed).
LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
        "ӏ": "l", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "у": "y", "х": "x", "ԝ": "w",
        # Greek
        "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
        "χ": "x",
        # Latin letters without their dot or in another form
        "ı": "i", "ɑ": "a", "ɡ": "g",
    }
)  # fmt: skip


def lookalike_key(slug):
    """What a reader sees of a slug: normalised, other alphabets' look-alikes as Latin."""
    return normalise_slug(slug).translate(LOOKALIKES)


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
    wanted = lookalike_key(slug)
    # A slug of lower-case ASCII letters, digits, - and _ is its own normal form: such a
    # sibling is the same only when equal. Only the others (legacy capitals, full-width or
    # other non-ASCII letters, look-alikes of other alphabets) are read and normalised, not
    # every sibling of a large index.
    others = siblings.filter(Q(slug=wanted) | Q(slug__regex=r"[^-_0-9a-z]"))
    return any(lookalike_key(s) == wanted for s in others.values_list("slug", flat=True))


MAX_LENGTH = 60
NOT_SLUG = re.compile(r"[^a-z0-9]+")


def pinyin_slug(text, max_length=MAX_LENGTH):
    """The slug for `text`; empty when nothing in it can be spelled (only punctuation)."""
    text = unicodedata.normalize("NFKC", text or "")
    words = []
    import jieba  # the segmenter search uses; loading its dictionary takes a moment

    for word in jieba.cut(text):
        # Style.NORMAL: no tone marks, ü written v (绿 → lv), as in ordinary pinyin URLs.
        spelled = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default"))
        spelled = NOT_SLUG.sub("-", spelled.lower()).strip("-")
        if spelled:
            words.append(spelled)
    slug = "-".join(words)
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def is_auto_slug(slug, title):
    """Whether `slug` is what Wagtail's own editor script makes of the title: the Chinese
    characters kept (unicode slugs), so not a slug the editor chose."""
    return bool(slug) and slug == slugify(title or "", allow_unicode=True) and not slug.isascii()


def unique_slug(base, parent, exclude=None):
    """`base`, or `base-2`, `base-3`… so no sibling under `parent` has it."""
    siblings = parent.get_children() if parent is not None else None
    if siblings is None:
        return base
    if exclude is not None and exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
