"""Exporting the site as a `tongxin-content/1` document.

Every page under the default site's root is written, drafts included. A live page is
written as it is live (`live: true`); edits saved after its last publication are not
exported, since one file holds one version per page. A page that is not live is written
from its latest revision, with `live: false`, or `live: true` and `go_live_at` when it is
scheduled. A story's consent is always written (it identifies no one); its private record
only with `include_private`.

Images go through an ImageSink: CopyImages copies the stored originals next to the output
file (relative `file` values), LocalPaths gives the originals' absolute paths.
"""

import shutil
from pathlib import Path

from campaigns.models import DonationHost, Fund, Organization
from stories.models import StoryIdentity
from tongxin.scripts.models import ConversionRule, ScriptSettings

from . import represent, spec
from .site import relative_path, site_root
from .values import compact, to_json


class CopyImages:
    """Copies each image once into `directory`, named after its title."""

    def __init__(self, directory, prefix="images"):
        self.directory, self.prefix = Path(directory), prefix
        self.names = {}  # image pk -> file value
        self.used = set()

    def __call__(self, image_file):
        image = image_file.image
        if image.pk not in self.names:
            suffix = Path(image.file.name).suffix.lower()
            stem = image.title.replace("/", "-").strip() or f"image-{image.pk}"
            name, n = f"{stem}{suffix}", 1
            while name.lower() in self.used:
                n += 1
                name = f"{stem}-{n}{suffix}"
            self.used.add(name.lower())
            self.directory.mkdir(parents=True, exist_ok=True)
            with image.file.open("rb") as source, open(self.directory / name, "wb") as target:
                shutil.copyfileobj(source, target)
            self.names[image.pk] = f"{self.prefix}/{name}"
        return self.names[image.pk]


class NotLocal(Exception):
    """Stored originals are not files on this machine (e.g. S3); use --output."""


def local_paths(image_file):
    try:
        return image_file.image.file.path
    except NotImplementedError as exc:
        raise NotLocal("images are not stored on local disk; export with --output") from exc


def _settings():
    return {
        "donation_hosts": list(
            DonationHost.objects.order_by("host").values_list("host", flat=True)
        ),
        "hant_variant": ScriptSettings.load().hant_variant,
    }


def _organizations():
    return [
        compact(
            key=o.key,
            name=o.name,
            kind=o.kind,
            url=o.url,
            region=o.region,
            public_phone=o.public_phone,
        )
        for o in Organization.objects.order_by("key")
    ]


def _funds():
    funds = Fund.objects.select_related("organization", "custodian").order_by("key")
    return [
        compact(
            key=f.key,
            name=f.name,
            organization=f.organization.key,
            custodian=f.custodian.key if f.custodian else None,
            record_number=f.record_number,
            platform=f.platform,
            donate_url=f.donate_url,
            currency=f.currency,
            target=f.target,
            raised=f.raised,
            raised_as_of=f.raised_as_of,
            annual_commitment=f.annual_commitment,
            restricted=f.restricted,
            purposes=list(f.purposes),
            status=f.status,
        )
        for f in funds
    ]


def _version(page):
    """(the page object to write, live) — see the module docstring."""
    if page.live:
        return page, True
    latest = page.latest_revision
    scheduled = bool(latest and latest.approved_go_live_at)
    return page.get_latest_revision_as_object(), scheduled


def _page(page, type_name, path, lookup, include_private, warnings):
    version, live = _version(page)
    # Without a date of its own a page shows its first publication; keep that date when the
    # page moves to another site.
    content = represent.page_content(version, type_name, lookup, page.first_published_at)
    body = content.get("body", [])
    if any(block["type"] == "image" and "file" not in block for block in body):
        warnings.append(f"{path}: an image block whose image was deleted is left out")
        content["body"] = [b for b in body if b["type"] != "image" or "file" in b]
    data = {"type": type_name, "path": path, **content}
    if not live:
        data["live"] = False
    if type_name == "story":
        identity = StoryIdentity.objects.filter(story_id=page.pk).first()
        consent = represent.consent_of(identity)
        if consent:
            data["consent"] = consent
        private = compact(**(represent.private_of(identity) or {}))
        if include_private and private:
            data["private"] = private
    return data


def export_document(include_private=False, image_ref=local_paths):
    """The whole site as a JSON-ready dict; `warnings` lists what could not be exported."""
    root = site_root()
    lookup = represent.Lookup(root)
    pages, warnings = [], []
    for page in root.get_descendants(inclusive=True).order_by("path").specific():
        type_name = spec.type_of_model(type(page))
        path = relative_path(page.url_path, root.url_path)
        if type_name is None:
            warnings.append(f"{path}: {type(page).__name__} pages are not in the format, skipped")
            continue
        pages.append(_page(page, type_name, path, lookup, include_private, warnings))
    document = {
        "format": spec.FORMAT,
        "settings": _settings(),
        "conversion_rules": [
            {"hans": r.hans, "hant": r.hant} for r in ConversionRule.objects.order_by("hans")
        ],
        "organizations": _organizations(),
        "funds": _funds(),
        "pages": pages,
    }
    return to_json(document, image_ref), warnings
