"""One sitemap listing every public page in both scripts, each with hreflang alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from wagtail.models import Page, Site

from tongxin.scripts import script as scripts

from .visibility import visible


def public_pages(site):
    """The site's pages visible on the web (tongxin.core.visibility)."""
    if site is None:
        return Page.objects.none()
    return (
        visible(Page.objects.descendant_of(site.root_page, inclusive=True), "web")
        .order_by("path")
        .only("id", "url_path", "path", "depth", "last_published_at", "latest_revision_created_at")
    )


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def __init__(self, request):
        self.request = request
        self.site = Site.find_for_request(request)
        self.site_root_path = self.site.root_page.url_path if self.site else "/"

    def items(self):
        return list(public_pages(self.site))

    def location(self, page):
        # The path under the active script prefix, as i18n_patterns reverses it.
        relative = page.url_path[len(self.site_root_path) :]
        return reverse("wagtail_serve", args=(relative,))

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at

    def get_urls(self, page=1, site=None, protocol=None):
        """The alternates as the pages' own <link rel="alternate"> name them.

        Django writes x-default as the URL without its language prefix, assuming the default
        language has none; ours has, so x-default is the simplified rendition, as in base.html.
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_code = {alt["lang_code"]: alt for alt in url.get("alternates", ())}
            default = by_code.get(settings.LANGUAGE_CODE)
            for code, alt in by_code.items():
                if code == "x-default" and default is not None:
                    alt["location"] = default["location"]
                else:
                    script = scripts.get(code, None)
                    alt["lang_code"] = script.lang if script else code
        return urls


def sitemap(request):
    return sitemap_view(request, sitemaps={"pages": PageSitemap(request)})


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
