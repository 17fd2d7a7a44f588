"""Bulk changes: what one save does for the site, done once for a whole batch of saves.

Saving a page normally updates, there and then, Wagtail's search index (whose database
backend on PostgreSQL recomputes its title norms over the whole index each time), Wagtail's
reference index, Tongxin's own search index, the names the converter protects
(tongxin.scripts.site_terms: one query per name source, over the whole site) and the content
version. An import of 10,000 pages paid all of that 3 to 4 times per page, and more the larger
the site grew. Inside `bulk_changes()` they are noted instead and done once at the end, in the
same transaction, for the objects the batch touched:

    with transaction.atomic(), bulk_changes():
        ...  # save and publish thousands of pages

- Wagtail's search index: one `add_bulk` per model and backend;
- Wagtail's reference index: once per touched object instead of once per save;
- the site's names: one collection;
- the content version: one bump;
- and `batch_finished` is sent with the pks of the pages published or unpublished, so that
  an index of our own (tongxin.search) brings those entries up to date in one pass. Its
  per-page receivers ask `defer_page(page)` first: True means "noted, do nothing now".

The suspension is per thread (asgiref Local), except Wagtail's search index signal, which
modelsearch connects without a switch: it is disconnected for the duration, process-wide.
Bulk changes are meant for commands (import_content), not for requests.
"""

import logging
from collections import defaultdict
from contextlib import contextmanager

from asgiref.local import Local
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent at the end of a batch, inside its transaction: `page_ids` (a set) are the pages whose
# publication state the batch changed (published, unpublished).
batch_finished = Signal()

_state = Local()


def active():
    return getattr(_state, "batch", None) is not None


def defer_page(page):
    """Inside `bulk_changes()`: note `page` for `batch_finished` and return True. Outside,
    return False (the caller does its per-page work now)."""
    batch = getattr(_state, "batch", None)
    if batch is None:
        return False
    batch.page_ids.add(page.pk)
    return True


def defer_content_version():
    """Inside `bulk_changes()`: note that the content version must be bumped at the end."""
    batch = getattr(_state, "batch", None)
    if batch is None:
        return False
    batch.bump = True
    return True


def remembered(key, compute):
    """`compute()`, once per batch inside `bulk_changes()` (values a batch does not change,
    such as the administrators' spam terms), every time outside."""
    batch = getattr(_state, "batch", None)
    if batch is None:
        return compute()
    if key not in batch.memo:
        batch.memo[key] = compute()
    return batch.memo[key]


class _Batch:
    def __init__(self):
        self.memo = {}
        self.page_ids = set()
        self.saved = defaultdict(set)  # model -> pks saved in the batch
        self.bump = False


def _note_save(sender, instance, raw=False, **kwargs):
    batch = getattr(_state, "batch", None)
    if batch is not None and not raw and instance.pk is not None:
        batch.saved[sender].add(instance.pk)


@contextmanager
def _wagtail_search_suspended():
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    disconnected = [m for m in models if post_save.disconnect(post_save_signal_handler, sender=m)]
    try:
        yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def _update_wagtail_search(saved):
    from modelsearch import index
    from modelsearch.backends import get_search_backends

    indexed = set(index.get_indexed_models())
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in saved.items():
        if model not in indexed or not getattr(model, "search_auto_update", True):
            continue
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in backends:
            backend.add_bulk(model, objects)


def _update_references(saved):
    from wagtail.models import ReferenceIndex

    for model, pks in saved.items():
        if not ReferenceIndex.is_indexed(model):
            continue
        for instance in model._default_manager.filter(pk__in=pks).iterator(chunk_size=500):
            ReferenceIndex.create_or_update_for_object(instance)


@contextmanager
def bulk_changes():
    """Batch the per-save side effects of everything saved inside (see the module)."""
    if active():
        yield
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from tongxin.scripts import site_terms

    from .contentversion import bump_content_version

    batch = _state.batch = _Batch()
    post_save.connect(_note_save, dispatch_uid="tongxin.bulk.note_save")
    try:
        with (
            disable_reference_index_auto_update(),
            _wagtail_search_suspended(),
            site_terms.refresh_deferred(),
        ):
            yield batch
            post_save.disconnect(dispatch_uid="tongxin.bulk.note_save")
            _update_wagtail_search(batch.saved)
            _update_references(batch.saved)
        # Out of the deferral: site_terms has collected the names once.
        del _state.batch
        batch_finished.send(sender=bulk_changes, page_ids=batch.page_ids)
        if batch.bump:
            bump_content_version()
            # Again once the batch is committed: a page rendered between the first bump and
            # the commit saw the old content and may be cached under the new version.
            transaction.on_commit(bump_content_version)
    finally:
        post_save.disconnect(dispatch_uid="tongxin.bulk.note_save")
        if getattr(_state, "batch", None) is batch:
            del _state.batch
