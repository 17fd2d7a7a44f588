"""The sitemap: `/sitemap.xml` is a sitemap index of one sitemap per page type, each split
into files of at most `PAGES_PER_FILE` pages (two URLs each: both renditions, every URL with
its hreflang alternates and x-default).

What is listed is what the public may see on the web (tongxin.core.visibility): never a
draft, a private page, an expired page or a story whose consent does not cover the web now.
Each file costs a constant number of queries whatever the site's size (a count and one
slice of its section, ordered by tree path), and is kept in the cache under the content state
(tongxin.core.contentversion), so a publish, unpublish, expiry or consent end shows in the
next answer, and a crawler's visits between two edits cost no query at all.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from wagtail.models import Page, Site

from tongxin.scripts import script as scripts

from .contentversion import content_state
from .visibility import visible

# Two URLs per page: 5,000 URLs a file, a tenth of the protocol's limit of 50,000, so that a
# cold file renders in about 0.3 s (10,000 URLs took 0.6 s) and stays small for crawlers.
PAGES_PER_FILE = 2500
CACHE_PREFIX = "sitemap:v2"
CACHE_SECONDS = 60 * 60
# Browsers and shared caches in front may keep a file this long.
MAX_AGE = 15 * 60


def page_models():
    """Concrete page types, by section name (`campaign` for CampaignPage): core imports no
    page app, it finds them."""
    found = {}
    for model in apps.get_models():
        if issubclass(model, Page) and model is not Page and not model._meta.abstract:
            name = model._meta.model_name.removesuffix("page") or model._meta.model_name
            found[name] = model
    return dict(sorted(found.items()))


def public_pages(site, model=Page):
    """The site's pages of `model` visible on the web, in tree order."""
    if site is None:
        return model.objects.none()
    return (
        visible(model.objects.descendant_of(site.root_page, inclusive=True), "web")
        .order_by("path")
        .only("id", "url_path", "path", "depth", "last_published_at", "latest_revision_created_at")
    )


class PageSitemap(Sitemap):
    """One section: the public pages of one page type, both renditions of each."""

    limit = PAGES_PER_FILE

    def __init__(self, site, model=Page):
        self.site, self.model = site, model
        self.site_root_path = site.root_page.url_path if site else "/"

    def items(self):
        return public_pages(self.site, self.model)

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at

    def get_latest_lastmod(self):
        # One aggregate, not Django's default of reading every item.
        return self.items().order_by().aggregate(at=Max("last_published_at"))["at"]

    def get_urls(self, page=1, site=None, protocol=None):
        protocol = self.get_protocol(protocol)
        domain = self.get_domain(site)
        bases = {}
        for script in scripts.SCRIPTS:
            with script.activate():
                # The site root under the script's prefix, as i18n_patterns reverses it.
                bases[script] = f"{protocol}://{domain}" + reverse("wagtail_serve", args=("",))
        urls = []
        for item in self.paginator.page(page).object_list:
            relative = item.url_path[len(self.site_root_path) :]
            locations = {script: bases[script] + relative for script in scripts.SCRIPTS}
            alternates = [
                {"lang_code": script.lang, "location": location}
                for script, location in locations.items()
            ]
            # x-default: the simplified rendition, as the pages' own <link> names it.
            default = locations[scripts.get(settings.LANGUAGE_CODE)]
            alternates.append({"lang_code": "x-default", "location": default})
            lastmod = self.lastmod(item)
            for location in locations.values():
                urls.append(
                    {
                        "item": item,
                        "location": location,
                        "lastmod": lastmod,
                        "changefreq": None,
                        "priority": None,
                        "alternates": alternates,
                    }
                )
        return urls


def sections(request):
    site = Site.find_for_request(request)
    return {name: PageSitemap(site, model) for name, model in page_models().items()}


def _cached(request, name, render):
    """The answer of `render()`, kept under the content state, host and query string."""
    raw = "\x1f".join(
        (content_state(), request.scheme, request.get_host(), name, request.GET.urlencode())
    )
    key = f"{CACHE_PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"
    found = cache.get(key)
    if found is None:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            return response
        found = (response.content, response.get("Last-Modified"))
        cache.set(key, found, CACHE_SECONDS)
    content, last_modified = found
    response = HttpResponse(content, content_type="application/xml")
    if last_modified:
        response["Last-Modified"] = last_modified
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def sitemap(request):
    """`/sitemap.xml`: the index of every section's files (one page: `?p=` past 1 is 404)."""
    if request.GET.get("p", "1") != "1":
        raise Http404("the sitemap index has one page")
    return _cached(
        request,
        "index",
        lambda: sitemap_views.index(request, sections(request), sitemap_url_name="sitemap_section"),
    )


def sitemap_section(request, section):
    """`/sitemap-<section>.xml?p=N`: one file of a section; an unknown section or page 404."""
    return _cached(
        request,
        f"section:{section}",
        lambda: sitemap_views.sitemap(request, sections(request), section=section),
    )


def robots_txt(request):
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /donate/",
        "Disallow: /switch/",
        *(f"Disallow: {script.prefix}/search/" for script in scripts.SCRIPTS),
        "Allow: /",
        f"Sitemap: {base}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
