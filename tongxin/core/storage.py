"""Where uploads live: local disk, or S3-compatible object storage when the environment says so.

- `default` (images, documents, image renditions): MEDIA_ROOT, or the public bucket
  `AWS_STORAGE_BUCKET_NAME` (settings: tongxin.settings.base, docs/operators.md).
- `private` (signed consent forms, legacy originals): PRIVATE_MEDIA_ROOT, or the separate
  private bucket `AWS_PRIVATE_STORAGE_BUCKET_NAME`. Never public: no ACL is sent (the bucket
  stays private), it has no URL (`url()` refuses, like on disk), and it is read only by the
  permission-checked admin view, which streams the file.

Models name `private_storage` (a callable, so migrations do not freeze a location); it
returns one `StorageAlias` that looks the backend up in Django's `storages` on every use, so
the settings (and tests' overrides) decide, not the moment the model class was built.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

PRIVATE = "private"
NO_URL = "private files have no public URL; use the admin's download view"


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so no web server or CDN in
    front of media/ can ever serve them; only the permission-checked admin view reads them.

    The location is read from the settings on every use, so tests and operators can point it
    elsewhere. There is no public URL: `url()` refuses, so a template or widget that tries to
    link a consent form fails loudly instead of printing a guessable /media/ address.
    """

    def __init__(self, **kwargs):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(NO_URL)


class StorageAlias(Storage):
    """A storage that is `storages[alias]`, looked up on every call."""

    def __init__(self, alias):
        self.alias = alias

    @property
    def target(self):
        return storages[self.alias]

    def deconstruct(self):
        return ("tongxin.core.storage.StorageAlias", (self.alias,), {})

    def __eq__(self, other):
        return isinstance(other, StorageAlias) and other.alias == self.alias

    def __hash__(self):
        return hash(self.alias)

    # Storage's API, delegated.
    def open(self, name, mode="rb"):
        return self.target.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.target.delete(name)

    def exists(self, name):
        return self.target.exists(name)

    def listdir(self, path):
        return self.target.listdir(path)

    def size(self, name):
        return self.target.size(name)

    def url(self, name):
        return self.target.url(name)

    def path(self, name):
        return self.target.path(name)

    def get_valid_name(self, name):
        return self.target.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.target.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.target.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.target.generate_filename(filename)

    def get_accessed_time(self, name):
        return self.target.get_accessed_time(name)

    def get_created_time(self, name):
        return self.target.get_created_time(name)

    def get_modified_time(self, name):
        return self.target.get_modified_time(name)


_PRIVATE_STORAGE = StorageAlias(PRIVATE)


def private_storage():
    return _PRIVATE_STORAGE


def is_private_remote():
    """Whether consent forms live in the private bucket (not on this machine's disk)."""
    return not isinstance(storages[PRIVATE], FileSystemStorage)
