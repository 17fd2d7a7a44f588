"""The spam guard: injected gambling, porn, fake-drug and SEO text is refused where it enters.

The old sites were defaced with titles such as 澳门新葡京娱乐场-真人百家乐 that went
straight into <title>, the meta description and og:title. Every page is checked when it is
saved, when a revision is saved (the admin's draft, publish and workflow buttons), when it is
published (scheduled publishing saves the page) and when it is imported: `TongxinPage.clean`
calls `page_problems`, and both Django's form validation and the importer's `full_clean`
call `clean`. The legacy importer calls `find_spam` with its own fields.

Terms come from data/spam_terms.txt (maintained in the repository, reviewed like code) and
from the `SpamTerm` rows administrators add in the admin. Text and terms are folded the same
way (see `fold`), so the spacing and symbol tricks spammers use (澳 门, 澳.门, 澳門, full
width, zero-width characters) do not hide a term. The matcher is compiled once per set of
terms; an added term changes the set and so compiles a new one in every process.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc
from django.utils.translation import gettext

TERMS_FILE = Path(__file__).resolve().parent / "data" / "spam_terms.txt"
REGEX_PREFIX = "re:"

# Sentence punctuation and line breaks end a run: a term never matches across them, so
# 长大成人，视频里 is not 成人视频. Everything else that is not a letter or a digit (spaces,
# dots, dashes, stars, emoji, zero-width characters) is what spammers put between the
# characters of a term, and is dropped.
BOUNDARY = "|"
_BOUNDARIES = frozenset(
    '\n\r\u2028\u2029，。、；：！？“”‘’「」『』《》〈〉（）【】〔〕,;:!?"()[]{}'
)


@dataclass(frozen=True)
class SpamHit:
    """One term found in one field: `term` as the list writes it (for an expression, the
    folded text it matched)."""

    field: str
    term: str

    @property
    def message(self) -> str:
        return gettext("%(field)s含有疑似垃圾广告内容“%(term)s”，请删除后再保存") % {
            "field": self.field,
            "term": self.term,
        }

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _visible(text: str) -> str:
    # The privacy guard's reading of markup: tags go, alt/title/href values stay (a scraper
    # reads them too). Plain text with "<", ">" or "&" passes through as text.
    from stories.privacy import visible_text

    return visible_text(text)


def fold(text: str) -> str:
    """`text` as the matcher sees it: simplified, lower case, letters and digits only, with
    BOUNDARY where sentence punctuation or a line break was."""
    text = unicodedata.normalize("NFKC", _visible(text or ""))
    if not text.isascii():
        text = _t2s().convert(text)
    out = []
    for char in text.lower():
        if char in _BOUNDARIES:
            if out and out[-1] != BOUNDARY:
                out.append(BOUNDARY)
        elif unicodedata.category(char)[0] in "LN":
            out.append(char)
    return _join_single_characters("".join(out))


def _join_single_characters(folded: str) -> str:
    """澳、门、新、葡、京 and 澳，门，新: punctuation between single characters is spacing, not
    sentences, so consecutive runs of one character each are joined into one run."""
    runs = folded.split(BOUNDARY)
    joined: list[str] = []
    singles = False  # whether joined[-1] is made of one-character runs only
    for run in runs:
        if len(run) == 1 and singles:
            joined[-1] += run
        else:
            joined.append(run)
            singles = len(run) == 1
    return BOUNDARY.join(joined)


def parse_terms(lines: Iterable[str]) -> list[str]:
    """Terms of a list in the file's format: blank lines and "#" comments skipped."""
    terms = []
    for line in lines:
        line = line.split("#", 1)[0].strip() if not line.startswith(REGEX_PREFIX) else line
        line = line.strip()
        if line and line not in terms:
            terms.append(line)
    return terms


@lru_cache(maxsize=1)
def shipped_terms() -> tuple[str, ...]:
    return tuple(parse_terms(TERMS_FILE.read_text(encoding="utf-8").splitlines()))


def term_pattern(term: str) -> str:
    """The regex source for one term; raises re.error or ValueError when it cannot be one."""
    if term.startswith(REGEX_PREFIX):
        source = term[len(REGEX_PREFIX) :]
        re.compile(source)
    else:
        source = re.escape(fold(term))
    if not source or re.fullmatch(source, ""):
        raise ValueError("empty term")
    return source


@lru_cache(maxsize=8)
def _matcher(terms: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern, str], ...]]:
    compiled = []
    for term in terms:
        try:
            compiled.append((term_pattern(term), term))
        except (re.error, ValueError):
            continue  # A broken admin term must not take the guard down; the form refuses it.
    # Longest first, so 真人百家乐 is named rather than 百家乐.
    compiled.sort(key=lambda item: -len(item[0]))
    combined = re.compile("|".join(f"(?:{source})" for source, _ in compiled) or r"(?!)")
    singles = tuple((re.compile(source), term) for source, term in compiled)
    return combined, singles


def admin_terms() -> tuple[str, ...]:
    """Terms administrators added (SpamTerm); none while the table does not exist yet. Read
    once per bulk import (tongxin.core.bulk), once per check otherwise."""
    from .bulk import remembered

    return remembered("spam.admin_terms", _read_admin_terms)


def _read_admin_terms() -> tuple[str, ...]:
    from django.db import DatabaseError

    from .models import SpamTerm

    try:
        return tuple(SpamTerm.objects.filter(active=True).values_list("term", flat=True))
    except DatabaseError:
        return ()


def all_terms() -> tuple[str, ...]:
    extra = tuple(t for t in admin_terms() if t not in shipped_terms())
    return shipped_terms() + extra


def find_spam(fields: Mapping[str, str], terms: Iterable[str] | None = None) -> list[SpamHit]:
    """Every spam term in `fields` ({label: text}); empty when the text is clean.

    The one entry point for every path that takes text in: page validation, the content
    importer and the legacy-site importer. Labels are shown to the editor as given.
    """
    terms = all_terms() if terms is None else tuple(terms)
    combined, singles = _matcher(terms)
    hits = []
    for field, text in fields.items():
        if not text:
            continue
        folded = fold(str(text))
        named = []
        for match in combined.finditer(folded):
            found = next(
                (term for pattern, term in singles if pattern.fullmatch(match.group())),
                match.group(),
            )
            if found.startswith(REGEX_PREFIX):
                found = match.group()  # what the expression found says more than its source
            if found not in named:
                named.append(found)
        hits += [SpamHit(field, term) for term in named]
    return hits


# --- pages ------------------------------------------------------------------------------

# Wagtail's own fields, labelled as the admin shows them to our editors.
PAGE_FIELD_LABELS = {
    "title": "标题",
    "slug": "网址别名",
    "seo_title": "SEO 标题",
    "search_description": "搜索描述",
}
# Text columns that are not written by an editor.
NOT_EDITORIAL = {"url_path", "path", "draft_title", "script", "locale", "translation_key"}


def _stream_strings(value):
    from wagtail.blocks import StreamValue, StructValue
    from wagtail.blocks.list_block import ListValue
    from wagtail.rich_text import RichText

    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, (StreamValue, ListValue, list, tuple)):
        for item in value:
            yield from _stream_strings(getattr(item, "value", item))
    elif isinstance(value, (StructValue, dict)):
        for item in value.values():
            yield from _stream_strings(item)
    elif isinstance(value, str):
        yield value


def page_fields(page) -> dict[str, tuple[str, str]]:
    """{field name: (label, text)} for every editor-written text of `page`."""
    from django.db import models
    from wagtail.fields import StreamField

    fields = {}
    for field in page._meta.concrete_fields:
        if field.name in NOT_EDITORIAL:
            continue
        value = getattr(page, field.attname, None)
        if isinstance(field, StreamField):
            text = "\n".join(_stream_strings(value))
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            text = "\n".join(value) if isinstance(value, (list, tuple)) else (value or "")
        else:
            continue
        if text.strip():
            label = PAGE_FIELD_LABELS.get(field.name) or str(field.verbose_name)
            fields[field.name] = (label, text)
    return fields


def page_problems(page) -> dict[str, list[str]]:
    """{field name: [Chinese messages]} for the spam in `page`; empty when clean."""
    fields = page_fields(page)
    by_label = {label: name for name, (label, _) in fields.items()}
    problems: dict[str, list[str]] = {}
    for hit in find_spam({label: text for label, text in fields.values()}):
        problems.setdefault(by_label[hit.field], []).append(hit.message)
    return problems
