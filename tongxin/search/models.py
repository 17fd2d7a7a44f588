"""The search index: one row per published page, searched with the database's full-text index.

Chinese has no spaces, so neither SQLite's nor PostgreSQL's full-text search splits it into
words. Each page's text is segmented with jieba when it is published (``analysis.index_terms``)
and stored as space-joined terms, in four columns weighted title > summary > body > other
fields. The database indexes those columns without any Chinese knowledge of its own:

- PostgreSQL: a generated ``search_vector tsvector`` column (``to_tsvector('simple', …)`` of
  the four columns with weights A-D) and a GIN index on it;
- SQLite: an FTS5 table ``search_fts`` with the same four columns, kept in step with this
  table by triggers (external content: the text is stored once, here).

Both are created by migration 0002, on their own database only; Django's model knows
neither. ``tongxin.search.fulltext`` holds the SQL that queries them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_entry"
    )
    # The model name ("campaignpage", "storypage"…): the `type` filter and the card label.
    page_type = models.CharField(max_length=100, db_index=True)
    # The nearest campaign at or above the page, for the `campaign` filter.
    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.CharField(max_length=100, blank=True, db_index=True)  # normalised
    date = models.DateTimeField(null=True, blank=True, db_index=True)

    # Matching (all normalised: simplified, lower case). The *_terms columns are the
    # full-text terms (analysis.index_terms) the database indexes; `plain_text` is all of
    # the page's indexed text without spaces, to confirm a substring on the candidates the
    # index found (a word jieba does not know).
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    meta_terms = models.TextField(blank=True)  # tags, region, credits, other fields
    plain_text = models.TextField(blank=True)

    # Display, in the page's own script: the card and the excerpt are converted to the
    # reader's script on the way out, like every other page text. `body_text` is the body
    # prose only (paragraphs on lines of their own), the excerpt's source.
    script = models.CharField(max_length=4, default="hans")
    summary = models.TextField(blank=True)
    body_text = models.TextField(blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")

    def __str__(self):
        return f"search entry for page {self.page_id}"
