"""Picks the settings module from DJANGO_ENV (`production`, `test`, anything else: dev)."""

import os


def settings_module():
    env = os.environ.get("DJANGO_ENV", "dev").strip().lower()
    name = {"production": "production", "test": "test"}.get(env, "dev")
    return f"tongxin.settings.{name}"
