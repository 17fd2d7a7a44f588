from types import SimpleNamespace

from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongxin.core.paginate import Pagination
from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import text_for_script

from .query import SearchParams, region_suggestions, type_choices
from .query import search as run_search


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
        # The listings' numbered links and the head's rel="prev"/"next" (base.html).
        "pagination": Pagination(page, request.GET, request.path) if page is not None else None,
    }
    return render(request, "search/search.html", context)
