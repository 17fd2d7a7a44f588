"""What the site already holds, as far as validating a file needs to know.

Paths in the format are slug paths from the default site's root page (`/` is the root,
the home page). Validation reads these facts once instead of querying per item, and stays
a pure function of (document, facts).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site

from campaigns.models import DonationHost, EpisodePage, Fund, Organization

from . import spec


class NoSite(Exception):
    """The database has no default site to import into."""


@dataclass
class SitePage:
    pk: int
    model: type
    type: str | None
    number: int | None = None


@dataclass
class SiteFacts:
    pages: dict = field(default_factory=dict)  # path -> SitePage
    org_keys: set = field(default_factory=set)
    fund_keys: set = field(default_factory=set)
    hosts: set = field(default_factory=set)


def site_root():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise NoSite("the database has no default site; run `manage.py migrate` first")
    return site.root_page


def relative_path(url_path, root_url_path):
    return "/" + url_path[len(root_url_path) :]


def absolute_url_path(path, root_url_path):
    return root_url_path + path[1:]


def find_page(path, root=None):
    root = root or site_root()
    page = Page.objects.filter(url_path=absolute_url_path(path, root.url_path)).first()
    return page.specific if page else None


def read_site_facts():
    root = site_root()
    rows = Page.objects.descendant_of(root, inclusive=True).values_list(
        "pk", "url_path", "content_type_id"
    )
    numbers = dict(EpisodePage.objects.descendant_of(root).values_list("pk", "number"))
    facts = SiteFacts(
        org_keys=set(Organization.objects.values_list("key", flat=True)),
        fund_keys=set(Fund.objects.values_list("key", flat=True)),
        hosts=set(DonationHost.objects.values_list("host", flat=True)),
    )
    for pk, url_path, content_type_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        facts.pages[relative_path(url_path, root.url_path)] = SitePage(
            pk=pk, model=model, type=spec.type_of_model(model), number=numbers.get(pk)
        )
    return facts
