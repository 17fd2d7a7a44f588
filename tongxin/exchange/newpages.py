"""What creating and publishing thousands of new pages in one import costs once, not per page.

- `TreeSlots`: the tree positions treebeard's `add_child` would give, with each parent's last
  child read once (its row locked first, as `add_child` does) and counted on in memory, and
  the parents' `numchild` written once at the end.
- `LogEntries`: the page history entries Wagtail's `log()` writes (same action, label,
  user, revision, timestamp and flags), collected and written in one `bulk_create` at the
  end instead of one validated save each (a save of a log entry runs `full_clean`: a query
  per foreign key).

Both are for one import inside its transaction (tongxin.exchange.importer); `flush()` must
run before it commits.
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page


class TreeSlots:
    def __init__(self):
        self.last_step = {}  # parent pk -> step of its last child (0: none yet)
        self.added = Counter()  # parent pk -> children added, not yet in its numchild

    def place(self, parent, page):
        """Give the unsaved `page` the next position under `parent` (treebeard's numbering:
        after the last child), as `parent.add_child(instance=page)` would."""
        if parent.pk not in self.last_step:
            # Lock the parent's row for the rest of the import, as add_child does each time.
            fresh = Page.objects.select_for_update().only("path", "numchild").get(pk=parent.pk)
            last = fresh.get_last_child() if fresh.numchild else None
            self.last_step[parent.pk] = last._get_lastpos_in_path() if last else 0
        step = self.last_step[parent.pk] + 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        if (
            len(page.path) > Page._meta.get_field("path").max_length
            or len(Page._int2str(step)) > Page.steplen
        ):
            raise PathOverflow(f"no room for another page under {parent.url_path}")
        page.numchild = 0
        page._cached_parent_obj = parent
        self.last_step[parent.pk] = step
        self.added[parent.pk] += 1
        parent.numchild += 1

    def flush(self):
        """Write the children counts; return the pks of the parents written."""
        for pk, count in self.added.items():
            Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)
        written = set(self.added)
        self.added.clear()
        return written


class LogEntries:
    def __init__(self):
        self.entries = {}  # log entry model -> [unsaved entries]

    def log(self, instance, action, user=None, revision=None, content_changed=False, data=None):
        """What `wagtail.log_actions.log(instance, action, …)` stores, kept for `flush()`."""
        model = log_registry.get_log_model_for_instance(instance)
        if model is None:
            return
        if not log_registry.action_exists(action):
            raise ValueError(f"the log action {action!r} has not been registered")
        context = get_active_log_context()
        self.entries.setdefault(model, []).append(
            model(
                page=instance,
                content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
                label=model.objects.get_instance_title(instance),
                action=action,
                timestamp=timezone.now(),
                data=data or {},
                user=user or context.user,
                uuid=context.uuid,
                revision=revision,
                content_changed=content_changed,
            )
        )

    def flush(self):
        for model, entries in self.entries.items():
            model.objects.bulk_create(entries, batch_size=500)
        self.entries.clear()
