from types import SimpleNamespace

from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import text_for_script

from .query import SearchParams, region_suggestions, type_choices
from .query import search as run_search

# Numbered links around the current page; the first and the last are always linked.
PAGE_WINDOW = 2


def page_links(params, page):
    """[(number, query string or "" for the current page)], None where numbers are skipped."""
    if page is None or page.paginator.num_pages <= 1:
        return []
    last = page.paginator.num_pages
    shown = {1, last, *range(page.number - PAGE_WINDOW, page.number + PAGE_WINDOW + 1)}
    links, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number > previous + 1:
            links.append(None)
        query = "" if number == page.number else params.query_string(page=number)
        links.append(SimpleNamespace(number=number, query=query))
        previous = number
    return links


@require_safe
def search(request):
    """`/zh-hans/search/?q=&type=&campaign=&region=&page=` (contracts/urls.md).

    Always a page: bad parameters become notices on it; a page number past the end shows
    the last page. The conversion middleware turns the whole response, result texts
    included, into the reader's script.
    """
    params = SearchParams.from_query(request.GET)
    results = run_search(params, request=request)
    page = results.page
    # The query as typed may be in either script. Echoed in headings it is marked as written
    # in the *other* script than the reader's, so the converter always turns it into the
    # reader's (t2s for a simplified reader, s2t for a traditional one); the search box
    # keeps it exactly as typed.
    reader = scripts.of_request(request)
    # Suggestions are stored simplified; an option's value is not converted with the page,
    # so it is converted here (the filter accepts either script).
    regions = region_suggestions()
    if reader.code != "hans":
        regions = [text_for_script(region, reader.code) for region in regions]
    context = {
        "params": params,
        "echo": SimpleNamespace(script=reader.other.code),
        "results": results,
        "type_choices": type_choices(),
        "regions": regions,
        "page_links": page_links(params, page),
        "prev_query": (
            params.query_string(page=page.previous_page_number())
            if page is not None and page.has_previous()
            else ""
        ),
        "next_query": (
            params.query_string(page=page.next_page_number())
            if page is not None and page.has_next()
            else ""
        ),
    }
    return render(request, "search/search.html", context)
