"""What the format contains: page types, their models, and the keys each item may have.

The format is in contracts/content-format.md. Additions beyond it, so that an export keeps
everything editors can enter: `figures` on fund_launch, `support` on story and
`featured_campaign` (a campaign's path) on home, `responsible_editor` on news.
"""

import functools

from django.apps import apps

FORMAT = "tongxin-content/1"

TOP_KEYS = ("format", "settings", "conversion_rules", "organizations", "funds", "pages")
SETTINGS_KEYS = ("donation_hosts", "hant_variant")
HANT_VARIANTS = ("tw", "hk", "t")
RULE_KEYS = ("hans", "hant")
ORGANIZATION_KEYS = ("key", "name", "kind", "url", "region", "public_phone")
FUND_KEYS = (
    "key",
    "name",
    "organization",
    "custodian",
    "record_number",
    "platform",
    "donate_url",
    "currency",
    "target",
    "raised",
    "raised_as_of",
    "annual_commitment",
    "restricted",
    "purposes",
    "status",
)

PAGE_MODELS = {
    "home": "home.HomePage",
    "campaign": "campaigns.CampaignPage",
    "series": "campaigns.SeriesPage",
    "episode": "campaigns.EpisodePage",
    "fund_launch": "campaigns.FundLaunchEventPage",
    "story": "stories.StoryPage",
    "news": "campaigns.NewsPage",
    "story_index": "stories.StoryIndexPage",
    "news_index": "campaigns.NewsIndexPage",
}

COMMON_PAGE_KEYS = (
    "type",
    "path",
    "title",
    "summary",
    "search_description",
    "date",
    "script",
    "tags",
    "region",
    "live",
    "go_live_at",
    "expire_at",
    "conversion_rules",
    "body",
)
TYPE_PAGE_KEYS = {
    "home": ("featured_campaign",),
    "campaign": ("slogan", "organizers", "figures", "funds", "starts_on", "ends_on"),
    "series": ("planned_episodes", "credits"),
    "episode": ("number", "video_url", "credits"),
    "fund_launch": (
        "fund",
        "event_date",
        "venue",
        "organizers",
        "initial_amount",
        "annual_commitment",
        "custodian",
        "purposes",
        "programme",
        "figures",
    ),
    "story": (
        "pseudonym",
        "age",
        "gender",
        "circumstances",
        "support",
        "consent",
        "private",
    ),
    "news": ("source", "byline", "photo_credit", "responsible_editor"),
    "story_index": (),
    "news_index": (),
}
SCRIPTS = ("hans", "hant")
# Gender: the model's choices, plus the English words for them.
GENDER_ALIASES = (("female", "女"), ("male", "男"))
CONSENT_KEYS = ("obtained_on", "expires_on", "scope")
CONSENT_SCOPES = ("web", "partners")
PRIVATE_KEYS = (
    "real_name",
    "guardians",
    "school",
    "address",
    "notes",
    "birth_date",
    "id_number",
    "phones",
    "chat_ids",
    "other_identifiers",
)
SOURCE_KEYS = ("name", "url")
CREDIT_KEYS = ("role", "names")
ORGANIZER_KEYS = ("org", "role")
PROGRAMME_KEYS = ("time", "item")
FIGURE_KEYS = ("value", "unit", "label", "as_of")
WISH_KEYS = ("wish", "for", "status")

IMAGE_CONSENTS = ("cleared", "illustrative")
WISH_STATUSES = ("open", "claimed", "fulfilled")


def page_model(type_name):
    return apps.get_model(PAGE_MODELS[type_name])


def type_of_model(model):
    """The format's name for a page model, or None for pages the format does not know."""
    label = model._meta.label
    return next((name for name, path in PAGE_MODELS.items() if path == label), None)


@functools.cache
def has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def page_keys(type_name):
    """Keys a page of this type may have: `body` only where the model has a body."""
    model = page_model(type_name)
    keys = [k for k in COMMON_PAGE_KEYS if k != "body" or has_field(model, "body")]
    return (*keys, *TYPE_PAGE_KEYS[type_name])


def genders():
    """Accepted gender values → what the model stores."""
    from stories.models import GENDER_CHOICES

    stored = [value for value, _ in GENDER_CHOICES if value]
    accepted = {value: value for value in stored}
    for pair in GENDER_ALIASES:
        target = next((value for value in pair if value in stored), None)
        if target:
            accepted.update(dict.fromkeys(pair, target))
    return accepted
