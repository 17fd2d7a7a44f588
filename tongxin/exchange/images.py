"""Images named by a file: found by the SHA-1 of the file, stored once.

Wagtail images carry `file_hash`; an image is imported once however many pages and
imports name it. TongxinImage.save() scrubs identifying metadata by re-encoding the file.
A file without such metadata is stored as given (re-encoding it would only lose quality,
and an exported original would come back with a different hash); a file with metadata is
scrubbed, and `file_hash` then keeps the hash of the file as given, so that the next
import of the same file still finds the image.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.images import get_image_model

from tongxin.core.exif import has_identifying_metadata


class ImageStore:
    """Finds or creates images; remembers the files it stored so a rollback can delete them."""

    def __init__(self):
        self.model = get_image_model()
        self.stored_files = []
        self.created = 0

    def get(self, image_file):
        image = self.model.objects.filter(file_hash=image_file.sha1).order_by("pk").first()
        return image or self._create(image_file)

    def _create(self, image_file):
        path = Path(image_file.path)
        data = path.read_bytes()
        upload = ContentFile(data, name=path.name)
        if not has_identifying_metadata(data):
            # TongxinImage.scrub_new_file() skips files marked clean.
            upload.tongxin_scrubbed = True
        image = self.model(
            title=path.stem[:255], file=upload, file_size=len(data), file_hash=image_file.sha1
        )
        image.save()
        self.stored_files.append((image.file.storage, image.file.name))
        # save() recomputed the hash if it scrubbed the file; keep the hash of the file given.
        self.model.objects.filter(pk=image.pk).update(file_hash=image_file.sha1)
        self.created += 1
        return image

    def discard_stored_files(self):
        """Files are not transactional: delete what a rolled-back import wrote."""
        for storage, name in self.stored_files:
            storage.delete(name)
        self.stored_files = []
