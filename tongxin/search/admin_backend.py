"""The Wagtail admin's search backend: no index of its own, either script finds a title.

Tongxin keeps one search index, its own (``tongxin.search``), for readers. The admin's
searches (pages, images, documents, snippets, choosers) use Wagtail's index-less fallback
backend, which matches the model's search fields with ``icontains`` on the table itself: an
editor finds what was saved a moment ago, and saving a page writes no second index (Wagtail's
database backend rewrote its whole title index on every save, which made large imports
quadratic). Each word is looked for as typed and in the other script, so 兒童 finds a title
written 儿童 and the other way round.

Set in ``WAGTAILSEARCH_BACKENDS`` (tongxin/settings/base.py) with ``AUTO_UPDATE: False``;
docs/operators.md says how to switch to Elasticsearch/OpenSearch instead.
"""

from functools import cache

import opencc
from django.db import models
from wagtail.search.backends.database.fallback import (
    DatabaseSearchBackend,
    DatabaseSearchQueryCompiler,
    DatabaseSearchResults,
)


@cache
def _converter(config):
    return opencc.OpenCC(config)


def variants(term):
    """The term as typed, in simplified and in traditional characters."""
    if term.isascii():
        return [term]
    found = {term: None}
    for config in ("t2s", "s2t", "s2tw"):
        found.setdefault(_converter(config).convert(term), None)
    return list(found)


class ScriptInsensitiveQueryCompiler(DatabaseSearchQueryCompiler):
    def build_single_term_filter(self, term):
        query = models.Q()
        for variant in variants(term):
            for field_name in self.fields_names:
                query |= models.Q(**{f"{field_name}__icontains": variant})
        return query


class SearchBackend(DatabaseSearchBackend):
    query_compiler_class = ScriptInsensitiveQueryCompiler
    autocomplete_query_compiler_class = ScriptInsensitiveQueryCompiler
    results_class = DatabaseSearchResults
