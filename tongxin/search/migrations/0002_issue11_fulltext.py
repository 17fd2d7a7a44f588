"""Full-text search: four weighted term columns and the database's own full-text index.

PostgreSQL gets a generated ``tsvector`` column with a GIN index, SQLite an FTS5 table kept
in step by triggers; each only on its own database (``tongxin.search.fulltext.install``).
Entries written before this migration keep working; ``python manage.py
rebuild_search_index`` brings them to the new form (single characters and unknown words
found through the index, summary and other fields weighted).
"""

from django.db import migrations, models


def install(apps, schema_editor):
    from tongxin.search.fulltext import install as install_fulltext

    install_fulltext(schema_editor)


def uninstall(apps, schema_editor):
    from tongxin.search.fulltext import uninstall as uninstall_fulltext

    uninstall_fulltext(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="searchentry",
            name="title_plain",
        ),
        migrations.AddField(
            model_name="searchentry",
            name="meta_terms",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="summary_terms",
            field=models.TextField(blank=True),
        ),
        # After the field changes: on SQLite they may rebuild the table, which would drop
        # triggers created before them.
        migrations.RunPython(install, uninstall, elidable=False),
    ]
