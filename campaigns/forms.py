from tongxin.core.page_forms import TongxinPageForm


class EpisodeForm(TongxinPageForm):
    """Keeps episode numbers unique within a series and within its planned count, and fills
    in the next free one."""

    def clean(self):
        cleaned = super().clean()
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if parent is None:
            return cleaned
        episode = self.instance
        episode.number = cleaned.get("number")
        if episode.number is None:
            cleaned["number"] = episode.next_free_number(parent)
            error = episode.planned_count_error(parent, cleaned["number"])
            if error:
                self.add_error("number", error)
        else:
            error = episode.number_error(parent)
            if error:
                self.add_error("number", error)
        return cleaned
