"""The search index: one row per published page, in a form any database can search.

Chinese has no spaces, so neither SQLite's nor PostgreSQL's full-text search splits it into
words. Each page's text is segmented with jieba when it is published and stored as
space-delimited words; a query is segmented the same way and matched word by word with
plain ``LIKE``, which works the same on both databases.
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

    # Matching (all normalised: simplified, lower case). The *_terms columns are jieba
    # tokens joined by single spaces with a space at each end, so `contains(" 儿童 ")` is a
    # whole-word match; the *_plain columns have no spaces at all, for substring matching.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    title_plain = models.TextField(blank=True)
    plain_text = models.TextField(blank=True)  # title and body

    # Display, in the page's own script: the card and the matched snippet are converted to
    # the reader's script on the way out, like every other page text.
    script = models.CharField(max_length=4, default="hans")
    summary = models.TextField(blank=True)
    body_text = models.TextField(blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")

    def __str__(self):
        return f"search entry for page {self.page_id}"
