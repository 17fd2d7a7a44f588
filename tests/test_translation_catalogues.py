"""Every interface string in the sources has its traditional (Taiwan usage) and English
translation, the committed catalogues are what `make messages` produces, and a translation
survives the converter unchanged (Python strings on public pages are not marked for it)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "site" / "locale"
LANGUAGES = ("zh_Hant", "en")
# The ignore patterns of `make messages` (Makefile MESSAGE_IGNORES).
IGNORES = [".venv", "node_modules", "benchmarks", "media", "staticfiles", "tests", "site/static"]

needs_gettext = pytest.mark.skipif(
    not shutil.which("xgettext") or not shutil.which("msgattrib"),
    reason="GNU gettext tools are not installed",
)

ENTRY_RE = re.compile(r'^msgid "(.*)"\n((?:".*"\n)*)msgstr "(.*)"\n((?:".*"\n)*)', re.M)


def entries(path):
    """{msgid: msgstr} of a .po file (no plurals are used), header left out."""
    text = path.read_text(encoding="utf-8")
    found = {}
    for match in ENTRY_RE.finditer(text):
        msgid = match.group(1) + "".join(line[1:-1] for line in match.group(2).splitlines())
        msgstr = match.group(3) + "".join(line[1:-1] for line in match.group(4).splitlines())
        if msgid:
            found[msgid.encode().decode("unicode_escape").encode("latin-1").decode()] = (
                msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
            )
    return found


SOURCES = ["campaigns", "stories", "tongxin", "site/templates"]


def source_files(directory, names):
    """copytree's ignore: keep what makemessages reads (Python, templates)."""
    return [
        name
        for name in names
        if not (Path(directory, name).is_dir() or name.endswith((".py", ".html", ".txt")))
        or name == "__pycache__"
    ]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """`make messages` run on a copy of the sources and of site/locale. (makemessages
    writes the strings of site/ into any folder called site/locale it walks past, so it
    cannot be pointed at another catalogue in place.)"""
    root = tmp_path_factory.mktemp("sources")
    for source in SOURCES:
        shutil.copytree(Path(settings.BASE_DIR) / source, root / source, ignore=source_files)
    out = root / "site" / "locale"
    for language in (*LANGUAGES, "zh_Hans"):
        shutil.copytree(LOCALE / language, out / language)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setattr(settings, "LOCALE_PATHS", [out])
        call_command(
            "makemessages",
            locale=[*LANGUAGES, "zh_Hans"],
            ignore_patterns=IGNORES,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
    return out


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_sources_is_translated(regenerated, language):
    po = regenerated / language / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        )
        missing = [m for m in re.findall(r'^msgid "(.*)"$', result.stdout, re.M) if m]
        assert not missing, (
            f"{language}: {len(missing)} strings lack a translation ({flag}); fill them in "
            f"site/locale/{language}/LC_MESSAGES/django.po and run `make messages`: "
            + "; ".join(missing[:10])
        )


@needs_gettext
@pytest.mark.parametrize("language", (*LANGUAGES, "zh_Hans"))
def test_committed_catalogue_is_current(regenerated, tmp_path, language):
    committed = LOCALE / language / "LC_MESSAGES" / "django.po"
    fresh = entries(regenerated / language / "LC_MESSAGES" / "django.po")
    assert set(entries(committed)) == set(fresh), "run `make messages` and commit the result"
    # The compiled catalogue is the committed source's.
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(committed)], check=True)
    assert mo.read_bytes() == committed.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_wagtail_gaps_are_kept_apart_from_regeneration():
    """Wagtail's msgids are English; our fills for its Chinese catalogues live where
    makemessages never marks them obsolete, and Django reads them before Wagtail's own."""
    paths = [str(p) for p in settings.LOCALE_PATHS]
    assert paths[0].endswith("site/locale")
    assert any(p.endswith("site/wagtail_locale") for p in paths)
    for language in ("zh_Hans", "zh_Hant"):
        gaps = entries(Path(paths[1]) / language / "LC_MESSAGES" / "django.po")
        assert gaps["Go to the first error"]
        assert all(msgstr for msgstr in gaps.values())


# Character examples the admin shows on purpose (it is never converted).
EXAMPLES = ("（如 裏", "-{ }-", "头发干了")


def test_traditional_translations_survive_the_converter():
    from tongxin.scripts.convert import Rules, convert_text
    from tongxin.scripts.domain import domain_pairs

    rules = Rules(domain_pairs())
    changed = {}
    for msgstr in entries(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po").values():
        if not msgstr or any(example in msgstr for example in EXAMPLES):
            continue
        converted = convert_text(msgstr, source="hans", target="hant", variant="tw", rules=rules)
        if converted != msgstr:
            changed[msgstr] = converted
    assert not changed


MAINLAND = [
    *("搜索", "默認", "放大字號", "縮小字號", "視頻", "信息", "代碼", "粘貼", "點擊"),
    *("鏈接", "數據庫", "用戶"),
]


def test_traditional_catalogue_is_in_taiwan_usage():
    catalogue = entries(LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po")
    for word in MAINLAND:
        offending = [msgstr for msgstr in catalogue.values() if word in msgstr]
        assert not offending, (word, offending)
    assert catalogue["搜索"] == "搜尋"
    assert catalogue["（默认字号）"] == "（預設字級）"
    assert catalogue["观看视频"] == "觀看影片"
    assert catalogue["嵌入代码"] == "嵌入程式碼"
