from tongxin.scripts import script as scripts


def site_context(request):
    """`script`: the reader's Script (tongxin.scripts.script); `{{ script }}` is its code."""
    script = scripts.of_request(request)
    return {"script": script, "html_lang": script.lang}
