from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tongxin.exchange"
    label = "exchange"

    def ready(self):
        # The warning on drafts made by import_legacy, under the title of a news page's edit
        # form. Added from here so that campaigns imports neither exchange nor the privacy
        # guard (tests/test_one_source.py checks the import graph).
        from campaigns.models import NewsPage

        from .panels import LegacyImportPanel

        panels = list(NewsPage.content_panels)
        if not any(isinstance(panel, LegacyImportPanel) for panel in panels):
            title_end = 1 if panels else 0
            panels.insert(title_end + 1, LegacyImportPanel(heading=_("旧网站导入")))
            NewsPage.content_panels = panels
