from django.utils import translation

SCRIPT_OF_LANGUAGE = {"zh-hans": "hans", "zh-hant": "hant"}


def site_context(request):
    language = translation.get_language() or "zh-hans"
    return {
        "script": SCRIPT_OF_LANGUAGE.get(language, "hans"),
        "html_lang": "zh-Hant" if language == "zh-hant" else "zh-Hans",
    }
