from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from wagtail.images.forms import BaseImageForm

from .exif import scrub_image


class ScrubbingImageForm(BaseImageForm):
    """Refuses files Pillow cannot re-encode with a clear message, and hands the model a
    copy without metadata so the stored original never holds EXIF, XMP, IPTC or GPS."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or isinstance(upload, FieldFile):
            return upload  # no new file: the stored one was scrubbed when it arrived
        try:
            data, fmt = scrub_image(upload)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        stem = upload.name.rsplit(".", 1)[0]
        extension = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}[fmt]
        scrubbed = SimpleUploadedFile(f"{stem}.{extension}", data, f"image/{extension}")
        scrubbed.tongxin_scrubbed = True
        return scrubbed
