"""`{% fragment "name" vary %}…{% endfragment %}`: a site-wide piece of the page, rendered
and converted once per script and content state (tongxin.core.fragments)."""

from django import template

from tongxin.core.fragments import fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, vary, nodelist):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context):
        name = self.name.resolve(context)
        vary = ":".join(str(v.resolve(context)) for v in self.vary)
        return fragment(
            context.get("request"), name, lambda: self.nodelist.render(context), vary=vary
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )


@register.filter
def nav_position(page):
    """What the main menu's markup depends on: which section is current, and whether the
    page is the home page or a section itself (aria-current="page")."""
    depth = getattr(page, "depth", 0) or 0
    path = getattr(page, "path", "") or ""
    if depth < 2 or not path:
        return "none"
    return f"{path[:12]}:{min(depth, 4)}"


@register.filter
def crumbs_position(page):
    """What the breadcrumbs before the page's own title depend on: its parent."""
    path = getattr(page, "path", "") or ""
    return path[:-4] or "none"
