"""Import speed: `import_content FILE` into the database DATABASE_URL names, with the time it
took on the wall, in this process's CPU and in the PostgreSQL backend's CPU:

    .venv/bin/python benchmarks/generate_site.py --pages 1000 --out /tmp/site.json
    DATABASE_URL=postgres://…/scratch DJANGO_ENV=production … \\
        .venv/bin/python benchmarks/import_bench.py /tmp/site.json [--profile FILE]

Use an empty, migrated database (bench.py drops and migrates one). Pages per second of CPU
(Python + PostgreSQL backend) is the steadier figure on a shared machine: the wall clock
counts the other processes' turns too. `--profile FILE` writes a cProfile of the import
(slower; for reading with pstats, not for the figures).
"""

import argparse
import cProfile
import io
import os
import re
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")


def backend_cpu_seconds(pid):
    """User + system CPU of a PostgreSQL backend on this machine (None when not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--profile", help="write a cProfile of the import to this file")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "")
        pid = cursor.fetchone()[0] if connection.vendor == "postgresql" else None
    backend_before = backend_cpu_seconds(pid) if pid else None
    out = io.StringIO()
    # CPU time, not the wall clock: the waits for PostgreSQL and for a loaded machine left out.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    with redirect_stdout(out):
        if profiler:
            profiler.enable()
        call_command("import_content", args.file, stdout=out)
        if profiler:
            profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    backend = None
    if backend_before is not None:
        backend = backend_cpu_seconds(pid) - backend_before
    if profiler:
        profiler.dump_stats(args.profile)
    found = re.search(r"created (\d+), updated (\d+)", out.getvalue())
    pages = int(found.group(1)) + int(found.group(2)) if found else 0
    print(out.getvalue().strip().splitlines()[-2])
    print(f"pages: {pages}")
    print(f"wall: {wall:.1f} s = {pages / wall:.1f} pages/s")
    print(f"python CPU: {cpu:.1f} s = {cpu / pages * 1000:.1f} ms/page")
    if backend is not None:
        total = cpu + backend
        print(f"PostgreSQL backend CPU: {backend:.1f} s = {backend / pages * 1000:.1f} ms/page")
        print(
            f"CPU total: {total:.1f} s = {total / pages * 1000:.1f} ms/page "
            f"= {pages / total:.1f} pages/s of CPU"
        )


if __name__ == "__main__":
    main()
