from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail import hooks
from wagtail.models import Page

from .models import LegacyImport


def legacy_original_download(request, page_id):
    """The saved page a draft was imported from, to those who may edit the draft.

    Always an attachment of an opaque type: the file is an old site's HTML, and opened in the
    admin's origin its scripts would run with an editor's session.
    """
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    record = LegacyImport.objects.filter(page_id=page.pk).first()
    if record is None or not record.original:
        raise Http404("this page was not imported from an old site")
    try:
        handle = record.original.open("rb")
    except FileNotFoundError as exc:
        raise Http404("original file missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"legacy-original-{page.pk}.bin",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@hooks.register("register_admin_urls")
def register_legacy_original_url():
    return [
        path(
            "legacy-originals/<int:page_id>/",
            legacy_original_download,
            name="legacy_original",
        )
    ]
