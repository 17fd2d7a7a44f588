"""The page tree's rules and the editor's path through the Wagtail admin, per page type."""

from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from campaigns.models import (
    CampaignPage,
    DonationHost,
    EpisodePage,
    Fund,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    SeriesPage,
)
from stories.models import StoryIndexPage, StoryPage
from tongxin.home.models import HomePage

from .factories import (
    EpisodePageFactory,
    ImageFactory,
    OrganizationFactory,
    SeriesPageFactory,
    build_site_tree,
)

ALL_PAGE_TYPES = [
    HomePage,
    CampaignPage,
    SeriesPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    StoryIndexPage,
    StoryPage,
]


class PageTreeRulesTests(WagtailPageTestCase):
    """Which page type may go where: editors only ever see the choices that make sense."""

    def test_home_takes_campaigns_and_site_wide_indexes(self):
        self.assertCanCreateAt(HomePage, CampaignPage)
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(HomePage, StoryIndexPage)
        self.assertAllowedSubpageTypes(HomePage, {CampaignPage, NewsIndexPage, StoryIndexPage})

    def test_campaign_takes_series_fund_launches_and_its_own_indexes(self):
        for child in (SeriesPage, FundLaunchEventPage, NewsIndexPage, StoryIndexPage):
            self.assertCanCreateAt(CampaignPage, child)
        self.assertAllowedSubpageTypes(
            CampaignPage, {SeriesPage, FundLaunchEventPage, NewsIndexPage, StoryIndexPage}
        )

    def test_series_takes_episodes_only(self):
        self.assertCanCreateAt(SeriesPage, EpisodePage)
        self.assertAllowedSubpageTypes(SeriesPage, {EpisodePage})

    def test_indexes_take_their_own_items_only(self):
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertCanCreateAt(StoryIndexPage, StoryPage)
        self.assertAllowedSubpageTypes(StoryIndexPage, {StoryPage})

    def test_leaf_pages_take_no_children(self):
        for leaf in (EpisodePage, FundLaunchEventPage, NewsPage, StoryPage):
            self.assertAllowedSubpageTypes(leaf, set())

    def test_misplaced_pages_are_refused(self):
        refused = [
            (CampaignPage, EpisodePage),
            (HomePage, EpisodePage),
            (HomePage, SeriesPage),
            (HomePage, StoryPage),
            (HomePage, NewsPage),
            (HomePage, FundLaunchEventPage),
            (CampaignPage, StoryPage),
            (CampaignPage, NewsPage),
            (CampaignPage, CampaignPage),
            (SeriesPage, SeriesPage),
            (SeriesPage, NewsPage),
            (NewsIndexPage, StoryPage),
            (StoryIndexPage, NewsPage),
            (EpisodePage, EpisodePage),
            (Page, CampaignPage),
        ]
        for parent, child in refused:
            with self.subTest(parent=parent.__name__, child=child.__name__):
                self.assertCanNotCreateAt(parent, child)

    def test_parents_are_as_documented(self):
        self.assertAllowedParentPageTypes(EpisodePage, {SeriesPage})
        self.assertAllowedParentPageTypes(StoryPage, {StoryIndexPage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage, CampaignPage})
        self.assertAllowedParentPageTypes(StoryIndexPage, {HomePage, CampaignPage})


class PageCountLimitsTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_one_home_page_only(self):
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_one_news_and_one_story_index_per_parent(self):
        self.assertFalse(NewsIndexPage.can_create_at(self.tree.home))
        self.assertFalse(StoryIndexPage.can_create_at(self.tree.home))
        # The campaign has none yet, so it may have its own.
        self.assertTrue(NewsIndexPage.can_create_at(self.tree.campaign))
        self.assertTrue(StoryIndexPage.can_create_at(self.tree.campaign))


class AdminTestCase(WagtailPageTestCase):
    """A superuser in the admin, over a small site with every page type."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.user = cls.create_superuser("editor-in-chief")

    def setUp(self):
        self.client.force_login(self.user)

    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def post_new_page(self, model, parent, data, publish=True):
        data = dict(data)
        if publish:
            data["action-publish"] = "action-publish"
        return self.client.post(self.add_url(model, parent), data)

    def form_errors(self, response):
        # A redirect may carry a context too (the success message is rendered from a template).
        form = response.context.get("form") if response.context else None
        return form.errors if form is not None else {}


def page_form(fields):
    """Admin form data for a page: the fields given, plus what the add form pre-fills."""
    defaults = {"script": "hans", "summary": "", "tags": "", "region": "", "date": ""}
    # Empty streams for the StreamFields a page type may have; extra keys are ignored.
    defaults.update({"body": streamfield([]), "conversion_rules": streamfield([])})
    return nested_form_data({**defaults, **fields})


def credits(*pairs):
    """CreditBlock stream data: credits(("记者", ["王芳"]), ...)."""
    return streamfield(
        [
            ("credit", {"role": role, "names": streamfield([("item", n) for n in names])})
            for role, names in pairs
        ]
    )


class CreateThroughAdminTests(AdminTestCase):
    """Every page type can be made the way an editor makes it: the admin's add form."""

    def test_create_campaign(self):
        org = self.tree.organization
        partner = OrganizationFactory(key="qingyun-daily", name="青云日报", kind="media")
        data = page_form(
            {
                "title": "春蕾守护计划",
                "slug": "chunlei",
                "slogan": "每个孩子都值得被守护",
                "summary": "关爱困境儿童的全县行动。",
                "script": "hans",
                "tags": "困境儿童、留守儿童",
                "region": "青云县",
                "organizers": inline_formset(
                    [
                        {"organization": org.pk, "role": "主办"},
                        {"organization": partner.pk, "role": "媒体支持"},
                    ]
                ),
                "figures": streamfield(
                    [
                        (
                            "figure",
                            {
                                "value": "10760",
                                "unit": "名",
                                "label": "受助儿童",
                                "as_of": "2026-01-10",
                            },
                        )
                    ]
                ),
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "body": streamfield(
                    [
                        ("heading", "为什么"),
                        ("paragraph", rich_text("<p>全县共有<b>困境儿童</b>一千余名。</p>")),
                        (
                            "donate",
                            {
                                "fund": self.tree.fund.pk,
                                "heading": "",
                                "text": "每一份心意都会用在孩子身上。",
                                "amounts": streamfield([("item", "30"), ("item", "100")]),
                            },
                        ),
                    ]
                ),
            }
        )
        # A multiple-choice field posts a list; nested_form_data would flatten it to funds-0.
        data["funds"] = [self.tree.fund.pk]
        self.assertCanCreate(self.tree.home, CampaignPage, data)
        page = CampaignPage.objects.get(slug="chunlei")
        self.assertTrue(page.live)
        self.assertEqual(
            [(o.organization.key, o.role) for o in page.organizers.all()],
            [("qingyun-mzj", "主办"), ("qingyun-daily", "媒体支持")],
        )
        self.assertEqual(page.figures[0].value["value"], "10760")
        self.assertEqual([b.block_type for b in page.body], ["heading", "paragraph", "donate"])
        self.assertEqual(list(page.body[2].value["amounts"]), [30, 100])
        self.assertEqual(list(page.funds.all()), [self.tree.fund])
        self.assertEqual(page.tags, ["困境儿童", "留守儿童"])

    def test_create_series(self):
        data = page_form(
            {
                "title": "走进大山",
                "slug": "zoujin-dashan",
                "planned_episodes": "5",
                "credits": credits(("摄像", ["李强"]), ("剪辑", ["周敏", "陈晨"])),
            }
        )
        self.assertCanCreate(self.tree.campaign, SeriesPage, data)
        page = SeriesPage.objects.get(slug="zoujin-dashan")
        self.assertEqual(page.planned_episodes, 5)
        self.assertEqual(list(page.credits[1].value["names"]), ["周敏", "陈晨"])

    def test_create_episode(self):
        # The tree's series plans 3 episodes: a fourth needs the planned count raised first.
        SeriesPage.objects.filter(pk=self.tree.series.pk).update(planned_episodes=4)
        data = page_form(
            {
                "title": "第四集 奶奶的菜园",
                "slug": "ep-4",
                "number": "4",
                "video_url": "https://video.example.cn/ep4.mp4",
                "credits": credits(("记者", ["王芳"])),
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>清晨六点，小雨已经起床。</p>")),
                        ("video", {"url": "https://video.example.cn/ep4-extra.mp4", "caption": ""}),
                        ("quote", {"text": "我想当老师。", "attribution": "小雨（化名）"}),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.tree.series, EpisodePage, data)
        page = EpisodePage.objects.get(slug="ep-4")
        self.assertEqual(page.number, 4)
        self.assertEqual(page.get_parent().pk, self.tree.series.pk)

    def test_create_fund_launch_event(self):
        data = page_form(
            {
                "title": "童心守护基金启动仪式",
                "slug": "qidong",
                "event_date": "2026-06-01",
                "venue": "青云县民政局",
                "organizers": inline_formset(
                    [{"organization": self.tree.organization.pk, "role": "主办"}]
                ),
                "fund": self.tree.fund.pk,
                "initial_amount": "1200000",
                "annual_commitment": "500000",
                "custodian": self.tree.fund.custodian.pk,
                "purposes": "基本生活、医疗康复、教育、心理健康",
                "programme": streamfield(
                    [
                        ("item", {"time": "10:00", "item": "领导致辞"}),
                        ("item", {"time": "10:30", "item": "基金揭牌"}),
                    ]
                ),
                "figures": streamfield(
                    [
                        (
                            "figure",
                            {"value": "3500", "unit": "万元", "label": "首批募集", "as_of": ""},
                        )
                    ]
                ),
                "body": streamfield([("paragraph", rich_text("<p>基金正式启动。</p>"))]),
            }
        )
        self.assertCanCreate(self.tree.campaign, FundLaunchEventPage, data)
        page = FundLaunchEventPage.objects.get(slug="qidong")
        self.assertEqual(page.fund, self.tree.fund)
        self.assertEqual(page.purposes, ["基本生活", "医疗康复", "教育", "心理健康"])
        self.assertEqual(len(page.programme), 2)
        self.assertEqual(page.organizers.count(), 1)

    def test_create_news_index_under_campaign(self):
        self.assertCanCreate(
            self.tree.campaign,
            NewsIndexPage,
            page_form({"title": "活动动态", "slug": "dongtai"}),
        )
        self.assertTrue(NewsIndexPage.objects.get(slug="dongtai").live)

    def test_create_news(self):
        data = page_form(
            {
                "title": "儿童主任轮训开班",
                "slug": "lunxun",
                "summary": "全县 120 名儿童主任参加轮训。",
                "source_name": "青云日报",
                "source_url": "https://news.example.cn/1.html",
                "byline": credits(("记者", ["王芳"]), ("通讯员", ["李强"])),
                "photo_credit": "青云日报 摄",
                "body": streamfield([("paragraph", rich_text("<p>轮训为期三天。</p>"))]),
            }
        )
        self.assertCanCreate(self.tree.news_index, NewsPage, data)
        page = NewsPage.objects.get(slug="lunxun")
        self.assertEqual(page.source_name, "青云日报")
        self.assertEqual(page.byline[0].value["role"], "记者")

    def test_create_story_index_under_campaign(self):
        self.assertCanCreate(
            self.tree.campaign,
            StoryIndexPage,
            page_form({"title": "孩子们", "slug": "haizi"}),
        )
        self.assertTrue(StoryIndexPage.objects.get(slug="haizi").live)

    def test_create_story_draft(self):
        """A story starts as a draft: its consent lives in the separate private record, which a
        privacy officer adds before anyone can publish it."""
        image = ImageFactory()
        data = page_form(
            {
                "title": "阿朵的画",
                "slug": "aduo",
                "pseudonym": "阿朵",
                "age": "10",
                "gender": "",
                "region": "青云县",
                "circumstances": "农村留守儿童、困境儿童",
                "summary": "阿朵喜欢画画。",
                "support": "美术老师每周上门辅导。",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>阿朵的画挂在教室后墙上。</p>")),
                        (
                            "image",
                            {
                                "image": image.pk,
                                "alt": "一盒彩色蜡笔",
                                "caption": "",
                                "credit": "",
                                "consent": "illustrative",
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.tree.story_index, StoryPage, data, publish=False)
        page = StoryPage.objects.get(slug="aduo")
        self.assertFalse(page.live)
        self.assertEqual(page.circumstances, ["农村留守儿童", "困境儿童"])
        self.assertEqual(page.body[1].value["consent"], "illustrative")


class EpisodeNumberingTests(AdminTestCase):
    """Episode numbers: next free one when left empty, unique within a series only."""

    def episode_data(self, slug, number=""):
        return page_form(
            {
                "title": f"单集 {slug}",
                "slug": slug,
                "number": number,
                "video_url": "",
                "credits": streamfield([]),
                "body": streamfield([]),
            }
        )

    def test_empty_number_takes_next_free_number(self):
        # The tree's series has episodes 1, 2 and 3 (of 3 planned: raised to 4 first).
        SeriesPage.objects.filter(pk=self.tree.series.pk).update(planned_episodes=4)
        self.assertCanCreate(self.tree.series, EpisodePage, self.episode_data("next"))
        self.assertEqual(EpisodePage.objects.get(slug="next").number, 4)

    def test_empty_number_fills_a_gap(self):
        series = SeriesPageFactory(parent=self.tree.campaign, slug="gappy")
        EpisodePageFactory(parent=series, slug="one", number=1)
        EpisodePageFactory(parent=series, slug="three", number=3)
        self.assertCanCreate(series, EpisodePage, self.episode_data("gap"))
        self.assertEqual(EpisodePage.objects.get(slug="gap").number, 2)

    def test_duplicate_number_in_same_series_is_refused(self):
        response = self.post_new_page(EpisodePage, self.tree.series, self.episode_data("dup", "2"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("number", self.form_errors(response))
        self.assertIn("第 2 集", " ".join(self.form_errors(response)["number"]))
        self.assertFalse(EpisodePage.objects.filter(slug="dup").exists())

    def test_same_number_in_another_series_is_accepted(self):
        other = SeriesPageFactory(parent=self.tree.campaign, slug="other-series")
        self.assertCanCreate(other, EpisodePage, self.episode_data("other-ep-2", "2"))
        self.assertEqual(EpisodePage.objects.get(slug="other-ep-2").number, 2)

    def test_editing_an_episode_keeps_its_own_number(self):
        episode = self.tree.episodes[1]
        data = self.episode_data(episode.slug, "2")
        data["title"] = "第2集（修订）"
        data["action-publish"] = "action-publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[episode.pk]), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        episode.refresh_from_db()
        self.assertEqual((episode.number, episode.title), (2, "第2集（修订）"))

    def test_moving_number_onto_a_sibling_is_refused_on_edit(self):
        episode = self.tree.episodes[2]
        data = self.episode_data(episode.slug, "1")
        data["action-publish"] = "action-publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[episode.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("number", self.form_errors(response))
        episode.refresh_from_db()
        self.assertEqual(episode.number, 3)


class AdminEditViewsTests(AdminTestCase):
    """Every edit screen an editor opens loads, pages and snippets alike."""

    def test_page_edit_views_load(self):
        tree = self.tree
        pages = [
            tree.home,
            tree.campaign,
            tree.series,
            tree.episodes[0],
            tree.fund_launch,
            tree.news_index,
            tree.news,
            tree.story_index,
            tree.story,
        ]
        self.assertEqual({type(p) for p in pages}, set(ALL_PAGE_TYPES))
        for page in pages:
            with self.subTest(page=type(page).__name__):
                response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertEqual(response.status_code, 200)

    def test_page_add_views_load(self):
        tree = self.tree
        for parent, model in [
            (tree.home, CampaignPage),
            (tree.campaign, SeriesPage),
            (tree.series, EpisodePage),
            (tree.campaign, FundLaunchEventPage),
            (tree.news_index, NewsPage),
            (tree.story_index, StoryPage),
        ]:
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(self.add_url(model, parent)).status_code, 200)

    def test_snippet_edit_views_load(self):
        finder = AdminURLFinder(self.user)
        for obj in (self.tree.organization, self.tree.fund):
            with self.subTest(snippet=type(obj).__name__):
                url = finder.get_edit_url(obj)
                self.assertIsNotNone(url)
                self.assertEqual(self.client.get(url).status_code, 200)


class FundSnippetFormTests(AdminTestCase):
    """Donation links may only point at a platform host an administrator approved."""

    def fund_data(self, **overrides):
        data = {
            "name": "春蕾助学基金",
            "key": "chunlei",
            "organization": self.tree.organization.pk,
            "custodian": "",
            "record_number": "53100000500000999A",
            "platform": "腾讯公益",
            "donate_url": "https://gongyi.qq.com/succor/detail.htm?id=999",
            "currency": "CNY",
            "target": "500000",
            "raised": "1000",
            "raised_as_of": "2026-05-01",
            "annual_commitment": "",
            "purposes": "教育",
            "status": "open",
        }
        data.update(overrides)
        return data

    def add_url(self):
        return reverse(Fund.snippet_viewset.get_url_name("add"))

    def test_fund_on_approved_host_is_saved(self):
        self.assertTrue(DonationHost.objects.filter(host="gongyi.qq.com").exists())
        response = self.client.post(self.add_url(), self.fund_data())
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        self.assertTrue(Fund.objects.filter(key="chunlei").exists())

    def test_fund_on_unapproved_host_is_refused(self):
        response = self.client.post(
            self.add_url(), self.fund_data(donate_url="https://pay.evil.example/fund")
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("donate_url", self.form_errors(response))
        self.assertIn("pay.evil.example", " ".join(self.form_errors(response)["donate_url"]))
        self.assertFalse(Fund.objects.filter(key="chunlei").exists())

    def test_fund_over_plain_http_is_refused(self):
        response = self.client.post(
            self.add_url(), self.fund_data(donate_url="http://gongyi.qq.com/succor/1")
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("donate_url", self.form_errors(response))

    def test_editing_existing_fund_to_unapproved_host_is_refused(self):
        fund = self.tree.fund
        url = AdminURLFinder(self.user).get_edit_url(fund)
        data = self.fund_data(key=fund.key, donate_url="https://gongyi.qq.com.evil.example/x")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("donate_url", self.form_errors(response))
        fund.refresh_from_db()
        self.assertTrue(fund.donate_url.startswith("https://gongyi.qq.com/"))
