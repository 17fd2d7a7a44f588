from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from campaigns.blocks import body_field
from campaigns.models import CampaignPage, EpisodePage, NewsPage
from stories.models import StoryPage
from tongxin.core.listings import listing, newest_first
from tongxin.core.models import TongxinPage


class HomePage(TongxinPage):
    featured_campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("推荐活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("留空则推荐最新的活动"),
    )
    body = body_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        FieldPanel("featured_campaign"),
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "campaigns.CampaignPage",
        "campaigns.NewsIndexPage",
        "stories.StoryIndexPage",
    ]
    max_count = 1
    template = "home/home_page.html"

    page_description = _("网站首页：每个网站只有一个")

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = list(
            listing(CampaignPage.objects.child_of(self), bodies=True).order_by(
                "-first_published_at"
            )[:6]
        )
        # The featured campaign is usually one of the latest six: no query of its own then.
        featured = None
        if self.featured_campaign_id:
            featured = next((c for c in campaigns if c.pk == self.featured_campaign_id), None)
            if featured is None:
                featured = (
                    listing(CampaignPage.objects.child_of(self))
                    .filter(pk=self.featured_campaign_id)
                    .first()
                )
        if featured is None and campaigns:
            featured = campaigns[0]
        context["featured_campaign"] = featured
        context["campaigns"] = campaigns
        context["latest_episodes"] = newest_first(
            listing(EpisodePage.objects.descendant_of(self), bodies=True)
        )[:6]
        context["latest_stories"] = newest_first(
            listing(StoryPage.objects.descendant_of(self), bodies=True)
        )[:6]
        context["latest_news"] = newest_first(
            listing(NewsPage.objects.descendant_of(self), bodies=True)
        )[:6]
        return context
