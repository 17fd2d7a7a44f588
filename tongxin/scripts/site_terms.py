"""Names the site already holds, protected in the traditional rendition without a rule.

Bylines and credits (``byline``/``credits`` StreamFields of credit blocks), pseudonyms
(``pseudonym`` fields), organisation names and the phrases of the editors' rules: each is
kept whole by the segmenter, a person's name converts as a name (范志明 → 范志明, not 範志明)
and an organisation's name as one unit. Real identities (``stories.ChildIdentity``) are never
read here: only what the site publishes.

Collected with one query per source when a source is saved or deleted (``signals``) and kept
on the ``ScriptSettings`` row, so that a reader's request reads them with that one row; kept
in the cache under a version (a digest of names and quotation-mark setting) that the page
cache's keys include.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager

from asgiref.local import Local
from django.apps import apps
from django.core.cache import cache

from . import words
from .engine import NO_RULES, Rules

CACHE_KEY = "scripts:site-terms:v1"
CACHE_SECONDS = 5 * 60
# (model label, field, kind). Labels, not imports: scripts imports no page app.
NAME_SOURCES = (("campaigns.organization", "name", "organisation"),)
# Any model with one of these fields contributes: StreamFields of credit blocks, or a name.
CREDIT_FIELDS = ("byline", "credits")
NAME_FIELDS = ("pseudonym",)
# A person's name as the site stores it: two to four CJK characters.
PERSON_RE = re.compile(r"[\u3400-\u9fff]{2,4}")
CJK_RE = re.compile(r"[\u3400-\u9fff]")


def _credit_names(raw) -> list[str]:
    names = []
    for block in raw or ():
        value = block.get("value") if isinstance(block, dict) else None
        if not isinstance(value, dict):
            continue
        for item in value.get("names") or ():
            name = item.get("value") if isinstance(item, dict) else item
            if isinstance(name, str):
                names.append(name)
    return names


def _raw(stream) -> list:
    raw = getattr(stream, "raw_data", stream)
    return list(raw) if raw else []


def _sources():
    """``(model, field, kind)`` of every place a name lives, found by field name."""
    found = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        fields = {field.name for field in model._meta.concrete_fields}
        # A field inherited from a concrete parent is read through the model that owns it.
        own = {f.name for f in model._meta.local_concrete_fields}
        for name in CREDIT_FIELDS:
            if name in fields and name in own:
                found.append((model, name, "credits"))
        for name in NAME_FIELDS:
            if name in fields and name in own:
                found.append((model, name, "person"))
    for label, field, kind in NAME_SOURCES:
        try:
            found.append((apps.get_model(label), field, kind))
        except LookupError:
            continue
    return found


def source_models() -> set:
    """Models whose saves change the collected names."""
    return {model for model, _, _ in _sources()}


def collect_names() -> dict[str, tuple[str, ...]]:
    """``{"people": …, "organisations": …, "phrases": …}``: the names the site holds and
    its rules' phrases, sorted, unique."""
    people: set[str] = set()
    organisations: set[str] = set()
    for model, field, kind in _sources():
        values = model._default_manager.values_list(field, flat=True)
        for value in values.iterator():
            if kind == "credits":
                people.update(_credit_names(_raw(value)))
            elif kind == "person" and isinstance(value, str):
                people.add(value)
            elif isinstance(value, str):
                organisations.add(value)
    people = {name.strip() for name in people if PERSON_RE.fullmatch(name.strip())}
    organisations = {
        name.strip() for name in organisations if name and CJK_RE.search(name) and len(name) > 1
    }
    from .models import ConversionRule

    # The editors' rules already decide their phrases; as words they also keep jieba from
    # cutting through them next to other text.
    phrases = {hans for hans in ConversionRule.objects.values_list("hans", flat=True) if hans}
    return {
        "people": tuple(sorted(people)),
        "organisations": tuple(sorted(organisations)),
        "phrases": tuple(sorted(phrases)),
    }


_deferral = Local()


@contextmanager
def refresh_deferred():
    """Inside: saves only note that the names changed; they are collected once on the way
    out (an import of thousands of pages collects them once, not once per page)."""
    if getattr(_deferral, "pending", None) is not None:
        yield
        return
    _deferral.pending = False
    try:
        yield
        pending = _deferral.pending
    finally:
        del _deferral.pending
    if pending:
        refresh_site_names()


def refresh_site_names() -> None:
    """Collect the names anew and keep them on the settings row (an editor's save pays the
    queries, not a reader's request). Deferred inside `refresh_deferred()`."""
    if getattr(_deferral, "pending", None) is not None:
        _deferral.pending = True
        return
    from .models import ScriptSettings

    names = {kind: list(values) for kind, values in collect_names().items()}
    row = ScriptSettings.objects.only("pk", "site_names").first()
    # Most saves change no name: then the cached renditions stay valid.
    if row is None:
        if any(names.values()):
            ScriptSettings.objects.create(site_names=names)  # its signal forgets the cache
    elif (row.site_names or {}) != names:
        # update(), not save(): saving settings would clear every conversion cache again.
        ScriptSettings.objects.filter(pk=row.pk).update(site_names=names)
        forget_site_terms()


def _load():
    """``(names, corner quotes, version)``: one query on a cold cache, none after; one
    public request reads it once (tongxin.core.requestmemo)."""
    # Core's request memo, imported here: core imports this module at its top.
    from tongxin.core.requestmemo import remembered

    return remembered(CACHE_KEY, _read)


def _read():
    found = cache.get(CACHE_KEY)
    if found is None:
        from .models import ScriptSettings

        row = ScriptSettings.objects.only("corner_quotes", "site_names").first()
        stored = (row.site_names if row is not None else None) or {}
        names = {
            kind: tuple(stored.get(kind) or ()) for kind in ("people", "organisations", "phrases")
        }
        quotes = bool(row is not None and row.corner_quotes)
        digest = hashlib.sha256(repr((names, quotes)).encode("utf-8")).hexdigest()[:12]
        found = (names, quotes, digest)
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def site_terms_version() -> str:
    """Changes whenever a name the site holds or the quotation-mark setting does."""
    return _load()[2]


def forget_site_terms() -> None:
    from tongxin.core.requestmemo import forget

    cache.delete(CACHE_KEY)
    forget(CACHE_KEY)


def site_terms(variant: str) -> Rules:
    """The site's quotation-mark setting as rules; its names go to the word-aware pass
    (``words.set_site_words``): a person's name converts as a name wherever it stands, an
    organisation's name or a rule's phrase is never cut by the segmenter."""
    names, quotes, digest = _load()
    if _applied.get("digest") != digest:
        words.set_site_words(names["people"], (*names["organisations"], *names["phrases"]))
        _applied["digest"] = digest
    return _QUOTES if quotes else NO_RULES


_applied: dict = {}
_QUOTES = Rules(corner_quotes=True)
