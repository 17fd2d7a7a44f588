"""Documents are reports and forms: PDF and office files, checked by content, never images.

Images uploaded as documents skipped the image pipeline and were served with their GPS
EXIF (tongxin.core.exif scrubs images only). WAGTAILDOCS_EXTENSIONS allows the document
formats; this form also checks the file's first bytes, so a photo renamed report.pdf is
refused too, with a message telling the editor to upload it as an image.
"""

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext
from wagtail.documents.forms import BaseDocumentForm

PDF = (b"%PDF-",)
OOXML_ODF = (b"PK\x03\x04",)  # docx, xlsx, pptx, odt, ods, odp are ZIP containers
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # doc, xls, ppt
SIGNATURES = {
    "pdf": PDF,
    "docx": OOXML_ODF,
    "xlsx": OOXML_ODF,
    "pptx": OOXML_ODF,
    "odt": OOXML_ODF,
    "ods": OOXML_ODF,
    "odp": OOXML_ODF,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
}
DOCUMENT_EXTENSIONS = list(SIGNATURES)
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*")
# PDF allows junk before its header; readers look within the first kilobyte.
HEAD_BYTES = 1024


def document_problem(name, head):
    """Why a file named `name` starting with `head` is not accepted as a document, or None."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(IMAGE_SIGNATURES):
        return gettext(
            "这是一张图片：请在“图片”中上传（图片上传时会去除位置等隐私信息），不要作为文档上传"
        )
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        return gettext("只能上传 PDF 或办公文档（%(extensions)s）") % {
            "extensions": "、".join(DOCUMENT_EXTENSIONS)
        }
    if extension == "pdf":
        if not any(s in head for s in signatures):
            return gettext("文件内容不是 PDF：请上传真正的 PDF 文件")
    elif not head.startswith(signatures):
        return gettext("文件内容与扩展名 .%(extension)s 不符") % {"extension": extension}
    return None


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or isinstance(upload, FieldFile):
            return upload  # the stored file, already checked
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        problem = document_problem(upload.name or "", head)
        if problem:
            raise ValidationError(problem)
        return upload
