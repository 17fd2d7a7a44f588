from types import SimpleNamespace

from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongxin.scripts import script as scripts

from .query import SearchParams, type_choices
from .query import search as run_search


@require_safe
def search(request):
    """`/zh-hans/search/?q=&type=&campaign=&region=&page=` (contracts/urls.md).

    Always a page: bad parameters become notices on it. The conversion middleware turns
    the whole response, result texts included, into the reader's script.
    """
    params = SearchParams.from_query(request.GET)
    results = run_search(params, request=request)
    page = results.page
    # The query as typed may be in either script. Echoed in headings it is marked as written
    # in the *other* script than the reader's, so the converter always turns it into the
    # reader's (t2s for a simplified reader, s2t for a traditional one); the search box
    # keeps it exactly as typed.
    reader = scripts.of_request(request)
    context = {
        "params": params,
        "echo": SimpleNamespace(script=reader.other.code),
        "results": results,
        "type_choices": type_choices(),
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
