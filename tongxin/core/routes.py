"""`<page URL>feed/rss/`, `feed/atom/`, `feed/json/` and `embed/`: routes of the page itself.

Every public page type routes these through Wagtail's RoutablePageMixin, so a partner route
is served on Wagtail's own path: site and page routing, view restrictions (the
`before_serve_page` hook) and the page's own `serve`, which checks the page is visible to
the route's scope ("partners") before the view runs. The views live in
tongxin.syndication (feeds.py, embeds.py) and are imported when a route is served: core
imports neither syndication nor any page app at module level.
"""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

PARTNERS = "partners"


def partner_route(method):
    """Marks a route as serving partners: the page must be visible to the partner scope."""
    method.visibility_scope = PARTNERS
    return method


class SyndicationRoutes(RoutablePageMixin):
    @re_path(r"^feed/(?P<kind>rss|atom|json)/$")
    @partner_route
    def feed_route(self, request, kind):
        from tongxin.syndication.feeds import feed_view

        return feed_view(request, self, kind)

    @path("embed/")
    @partner_route
    def embed_route(self, request):
        from tongxin.syndication.embeds import embed_view

        return embed_view(request, self)
