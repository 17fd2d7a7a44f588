import struct

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .exif import scrub_image


class DecodeCheckedImageField(WagtailImageField):
    """Wagtail's image field reads the pixel size with Pillow and lets Pillow's errors on a
    damaged file (a truncated JPEG: OSError "Truncated File Read") through as a 500."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc


class ScrubbingImageForm(BaseImageForm):
    """Refuses files Pillow cannot re-encode with a clear message, and hands the model a
    copy without metadata so the stored original never holds EXIF, XMP, IPTC or GPS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # The field is built by Wagtail's formfield callback; only its class is swapped.
        if type(field) is WagtailImageField:
            field.__class__ = DecodeCheckedImageField

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
