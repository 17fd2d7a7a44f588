"""Keep the index in step with what is published.

Publishing (the editor's button, workflow approval, scheduled publishing, the importer)
ends in `page_published` with the specific page as published; unpublishing, expiry and
deletion remove the entry. Consent and view restrictions are not handled here: the query
checks them every time.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from tongxin.core.bulk import batch_finished, defer_page
from tongxin.core.models import TongxinPage

from .index import index_page, refresh_campaigns, remove_page, safely, update_pages


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    # In a bulk import (tongxin.core.bulk) the page is indexed with the others at the end.
    if isinstance(instance, TongxinPage) and not defer_page(instance):
        safely(index_page, instance)


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    if not defer_page(instance):
        safely(lambda page: remove_page(page.pk), instance)


@receiver(batch_finished)
def batch_was_finished(sender, page_ids, **kwargs):
    """The pages a bulk import published or unpublished, indexed in one pass."""
    update_pages(page_ids)


@receiver(post_delete, sender=Page)
def page_was_deleted(sender, instance, **kwargs):
    # Belt and braces: the entry's CASCADE normally removed it in the same delete already,
    # and then this matches nothing. It keeps the rule explicit should the relation change.
    remove_page(instance.pk)


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs):
    safely(refresh_campaigns, instance)
