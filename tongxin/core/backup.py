"""Backups: one dated, encrypted archive holding the database, media/ and the private files.

The archive is a plain tar of four members:

- `manifest.json` — format, date, database engine and row counts (pages, revisions, images,
  documents, users, story identities) that `restore` checks after restoring;
- `database.enc` — a PostgreSQL dump (`pg_dump --format=custom`) or an SQLite copy made with
  SQLite's online-backup API (consistent while the site keeps writing);
- `media.enc` — MEDIA_ROOT as a tar;
- `private.enc` — PRIVATE_MEDIA_ROOT (signed consent forms) as a tar.

Everything but the manifest is encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
BACKUP_KEY from the environment: the database holds the children's real identities, so no
part of it may sit readable on a backup disk. Members are encrypted in chunks (Fernet works
on whole messages in memory); each chunk carries its number and a last-chunk flag, so a
reordered or truncated member fails to decrypt instead of restoring half a site.
"""

import io
import json
import os
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "tongxin-backup/1"
CHUNK = 4 * 1024 * 1024
_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">Q?")


class BackupError(Exception):
    """A clear reason why a backup or restore cannot go on (shown to the operator)."""


def fernet():
    key = os.environ.get("BACKUP_KEY", "").strip()
    if not key:
        raise BackupError(
            "BACKUP_KEY 未设置：请在环境变量中提供 Fernet 密钥（生成方法见 docs/operators.md）"
        )
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise BackupError("BACKUP_KEY 不是有效的 Fernet 密钥（32 字节的 URL 安全 base64）") from exc


def encrypt_stream(source, target, box):
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        token = box.encrypt(_HEADER.pack(index, last) + chunk)
        target.write(_LENGTH.pack(len(token)) + token)
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(source, target, box):
    index = 0
    while True:
        length = source.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise BackupError("备份文件不完整（被截断）")
        token = source.read(_LENGTH.unpack(length)[0])
        try:
            plain = box.decrypt(token)
        except InvalidToken as exc:
            raise BackupError("无法解密：BACKUP_KEY 与备份时的密钥不同，或文件已损坏") from exc
        number, last = _HEADER.unpack_from(plain)
        if number != index:
            raise BackupError("备份文件已损坏（分块顺序不对）")
        target.write(plain[_HEADER.size :])
        if last:
            return
        index += 1


# --- the database ----------------------------------------------------------------------------


def engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库：{vendor}")
    return vendor


def _pg_env():
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(name):
            env[key] = str(db[name])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env, db["NAME"]


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具") from exc
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise BackupError(f"{command[0]} 失败：{message[0]}")
    return result


def dump_database(path):
    if engine() == "postgresql":
        env, name = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), name], env)
        return
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def database_is_empty():
    return not connection.introspection.table_names()


def load_database(path, vendor):
    if vendor != engine():
        raise BackupError(f"备份来自 {vendor} 数据库，不能恢复到 {engine()} 数据库")
    if vendor == "postgresql":
        env, name = _pg_env()
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", name, str(path)], env)
        return
    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


# --- files -----------------------------------------------------------------------------------


def _tar_folder(folder, path):
    with tarfile.open(path, "w") as archive:
        if Path(folder).is_dir():
            archive.add(folder, arcname=".")


def _folder_is_empty(folder):
    folder = Path(folder)
    return not folder.exists() or not any(p for p in folder.iterdir() if p.name != ".gitkeep")


def _untar_folder(path, folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    with tarfile.open(path) as archive:
        archive.extractall(folder, filter="data")  # refuses absolute paths and "..": no escape


# --- counts ----------------------------------------------------------------------------------


def counts():
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    from stories.models import StoryIdentity

    return {
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "users": get_user_model().objects.count(),
        "story_identities": StoryIdentity.objects.count(),
    }


# --- archive ---------------------------------------------------------------------------------

MEMBERS = {
    "database.enc": "database",
    "media.enc": "media",
    "private.enc": "private",
}


def backup(directory):
    """Write a dated archive into `directory`; returns its path."""
    box = fernet()
    vendor = engine()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    final = directory / f"tongxin-backup-{stamp}.tar"
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "engine": vendor,
        "counts": counts(),
    }
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        dump_database(work / "database")
        _tar_folder(settings.MEDIA_ROOT, work / "media")
        _tar_folder(settings.PRIVATE_MEDIA_ROOT, work / "private")
        partial = final.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for member, plain in MEMBERS.items():
                encrypted = work / member
                with open(work / plain, "rb") as source, open(encrypted, "wb") as target:
                    encrypt_stream(source, target, box)
                archive.add(encrypted, arcname=member)
        os.chmod(partial, 0o600)
        partial.rename(final)  # never a half-written archive under the final name
    return final


def read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("这不是童心的备份文件（缺少 manifest.json）") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def restore(path):
    """Restore `path` into an empty database and empty media folders; returns the manifest
    and the counts found after restoring."""
    box = fernet()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    if not database_is_empty():
        raise BackupError("数据库不是空的：只能恢复到新建的空数据库（不执行 migrate）")
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        if not _folder_is_empty(folder):
            raise BackupError(f"文件夹不是空的：{folder}")
    if not tarfile.is_tarfile(path):
        raise BackupError("无法读取备份文件（不是 tar 格式或已损坏）")
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = read_manifest(archive)
        for member, plain in MEMBERS.items():
            try:
                source = archive.extractfile(member)
            except KeyError as exc:
                raise BackupError(f"备份文件缺少 {member}") from exc
            with open(work / plain, "wb") as target:
                decrypt_stream(source, target, box)
        load_database(work / "database", manifest["engine"])
        _untar_folder(work / "media", settings.MEDIA_ROOT)
        _untar_folder(work / "private", settings.PRIVATE_MEDIA_ROOT)
    connection.close()  # the next query sees the restored tables
    return manifest, counts()
