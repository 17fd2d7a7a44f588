"""Paging through a listing with `?page=N`: the one helper every index page uses.

A listing shows `per_page` items a page, newest first as its queryset orders them; every item
is reachable by numbered links, and the page's head links the neighbours with `rel="prev"` and
`rel="next"` (base.html, from the `pagination` context variable). A page costs two queries
whatever the listing's length: a COUNT and the slice.

`?page=` is reader input: anything but a page number that exists (`abc`, `0`, `-1`, `99999`)
answers 404, never 500; page 1 is the URL without `page`, so it has one address. Other
query parameters (the story index's filters) are kept in the links.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import Http404, QueryDict

PER_PAGE = 20
# Numbered links shown on each side of the current page (the first and last always are).
WINDOW = 2


@dataclass
class Pagination:
    page: object  # django.core.paginator.Page
    query: QueryDict = field(repr=False)
    path: str = ""

    @property
    def items(self):
        return self.page.object_list

    @property
    def number(self):
        return self.page.number

    @property
    def num_pages(self):
        return self.page.paginator.num_pages

    @property
    def count(self):
        return self.page.paginator.count

    @property
    def has_other_pages(self):
        return self.page.has_other_pages()

    def url(self, number):
        """The URL of page `number` (`/zh-hans/xinwen/?page=3`; page 1 has no `page`)."""
        query = self.query.copy()
        query.pop("page", None)
        if number > 1:
            query["page"] = str(number)
        encoded = query.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path

    @property
    def previous_url(self):
        return self.url(self.number - 1) if self.page.has_previous() else None

    @property
    def next_url(self):
        return self.url(self.number + 1) if self.page.has_next() else None

    @property
    def links(self):
        """`(number, url)` of the numbered links, `(None, None)` for a gap: 1 … 4 5 [6] 7 8 … 20."""
        last = self.num_pages
        shown = {1, last, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        found, previous = [], 0
        for number in sorted(n for n in shown if 1 <= n <= last):
            if number > previous + 1:
                found.append((None, None))
            found.append((number, self.url(number)))
            previous = number
        return found


def page_number(request):
    """The page asked for: a positive integer, else 404."""
    raw = request.GET.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise Http404("no such page")
    return int(raw)


def paginate(request, queryset, per_page=None):
    """The page of `queryset` the request asks for, as a Pagination; 404 past the last page
    (an empty listing has one, empty, page)."""
    number = page_number(request)
    paginator = Paginator(queryset, per_page or PER_PAGE)
    if number > paginator.num_pages:
        raise Http404("no such page")
    page = paginator.page(number)
    page.object_list = list(page.object_list)  # read once, however often the template looks
    return Pagination(page, request.GET, request.path)
