"""When the content partners get last changed: the feeds' Last-Modified.

Read from the database, never from the clock of the render or a per-process counter, so
every app server gives the same answer for the same content and `If-Modified-Since` alone
answers 304 until something changes. Besides the feed's own items (their last publication),
it counts what leaves no date on an item:

- page publications, withdrawals, deletions, moves and view restrictions (Wagtail's page
  log; publishing by the scheduler and the admin both write it);
- edits of funds, organizations, conversion rules, sites and settings (Wagtail's log);
- consent records (their `updated_at`) and the midnights at which a consent began or ended
  (Asia/Shanghai), and the moments pages expired: the clock alone changes a feed then.

The answer is never later than now. Three queries, on a cache miss only (feeds.py keeps the
payload with its Last-Modified).
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from stories.models import StoryIdentity

# Page log actions that change what the public sees.
PUBLIC_PAGE_ACTIONS = (
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.rename",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
)
# Snippets and other models whose edits change feeds (as in tongxin.core.contentversion).
CONTENT_MODEL_LABELS = (
    "campaigns.Fund",
    "campaigns.Organization",
    "scripts.ConversionRule",
    "wagtailcore.Site",
)


def _content_models():
    models = []
    for label in CONTENT_MODEL_LABELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    models += [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseGenericSetting, BaseSiteSetting))
    ]
    return models


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def content_last_modified(*moments, now=None):
    """The newest of `moments` (the items' own dates) and the site's last public change."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = [moment for moment in moments if moment]

    latest = Max("timestamp")
    pages = PageLogEntry.objects.filter(action__in=PUBLIC_PAGE_ACTIONS, timestamp__lte=now)
    found.append(pages.aggregate(at=latest)["at"])
    content_types = ContentType.objects.get_for_models(*_content_models()).values()
    models = ModelLogEntry.objects.filter(content_type__in=content_types, timestamp__lte=now)
    found.append(models.aggregate(at=latest)["at"])
    consent = StoryIdentity.objects.aggregate(
        edited=Max("updated_at", filter=Q(updated_at__lte=now)),
        began=Max("consent_obtained_on", filter=Q(consent_obtained_on__lte=today)),
        ended=Max("consent_expires_on", filter=Q(consent_expires_on__lt=today)),
    )
    found.append(consent["edited"])
    if consent["began"]:
        found.append(_midnight(consent["began"]))
    if consent["ended"]:  # consent covers its last day; the story leaves the midnight after
        found.append(_midnight(consent["ended"] + datetime.timedelta(days=1)))
    found.append(Page.objects.filter(expire_at__lte=now).aggregate(at=Max("expire_at"))["at"])

    found = [moment for moment in found if moment]
    if not found:
        return now
    return min(max(found), now)
