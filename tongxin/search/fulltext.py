"""The database-specific part of search: matching and ranking with the full-text index.

Everything else (what is indexed, the query's terms, filters, visibility) is the same on
both databases; here the terms from ``analysis.query_terms`` become a ``tsquery`` on
PostgreSQL or an FTS5 query on SQLite, and a relevance score (higher is better):

- PostgreSQL: ``search_vector @@ to_tsquery('simple', …)`` uses the GIN index;
  ``ts_rank`` weighs a match in the title (A) above the summary (B); body (C) and other
  fields (D) matches follow (ranked on the small ``head_vector``, see PG_CREATE).
- SQLite: ``search_fts MATCH …`` joined on the rowid; ``bm25`` with the same column order
  and weights (its score is lower for better matches, so it is negated).

Terms are letters and digits only (``analysis.pieces``), so quoting them is enough to keep
them literal; quotes are still doubled or escaped in case that ever changes.
"""

from django.db import connection

# ts_rank's weights, in its order {D, C, B, A}: other fields, body, summary, title.
PG_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
# bm25's weights, in the FTS5 table's column order: title, summary, body, other fields.
FTS5_WEIGHTS = "10.0, 5.0, 2.0, 0.5"


def vendor():
    return connection.vendor


def tsquery(exact, prefixes):
    def quote(term):
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join([quote(t) for t in exact] + [f"{quote(p)}:*" for p in prefixes])


def fts5_query(exact, prefixes):
    def quote(term):
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join([quote(t) for t in exact] + [f"{quote(p)}*" for p in prefixes])


def matching(entries, exact, prefixes):
    """``entries`` (a SearchEntry queryset) narrowed to those holding every term, with a
    ``score`` annotation for ordering."""
    # `extra` because the index is not a model field (and FTS5 is a table to join): the SQL
    # is constant, the reader's terms only ever travel as parameters.
    table = entries.model._meta.db_table
    if vendor() == "postgresql":
        query = tsquery(exact, prefixes)
        return entries.extra(  # noqa: S610
            select={
                "score": f"ts_rank('{PG_WEIGHTS}', {table}.head_vector, "
                "to_tsquery('simple'::regconfig, %s))"
            },
            select_params=[query],
            where=[f"{table}.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
            params=[query],
        )
    if vendor() == "sqlite":
        return entries.extra(  # noqa: S610
            select={"score": f"-bm25(search_fts, {FTS5_WEIGHTS})"},
            tables=["search_fts"],
            where=[f"search_fts.rowid = {table}.id", "search_fts MATCH %s"],
            params=[fts5_query(exact, prefixes)],
        )
    raise NotImplementedError(
        f"Tongxin's search needs PostgreSQL or SQLite, not {vendor()}; "
        "see docs/operators.md for Elasticsearch/OpenSearch"
    )


def analyze(table=None):
    """Refresh the planner's statistics after a bulk change (PostgreSQL only): of ``table``,
    or of the whole database. Without fresh statistics on the page tables as well, the
    planner may walk every visible page and test each against the index (hundreds of ms
    at 10,000 pages) instead of asking the GIN index first (about a millisecond)."""
    if vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}" if table else "ANALYZE")


# --- the DDL, run by migration 0002 on its own database only -----------------------------
# On SQLite, a later migration that rebuilds search_searchentry (Django remakes a table to
# alter some columns) drops its triggers: such a migration must call install() again
# (every statement is IF NOT EXISTS, and the last one refills the FTS table).

# A generated column: PostgreSQL keeps it in step with the terms on every write, so the
# Python side writes plain rows (save, update_or_create, bulk_create) on both databases.
PG_CREATE = [
    """ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, meta_terms), 'D')
    ) STORED""",
    "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING GIN (search_vector)",
    # Ranking reads this small vector only: ts_rank over search_vector would read (and
    # decompress) the whole page's terms of every match, hundreds of ms for a common word
    # at 10,000 pages. A page matched in its body only ranks 0 here and comes after the
    # title and summary matches, newest first.
    """ALTER TABLE search_searchentry ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
    ) STORED""",
]
PG_DROP = [
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS head_vector",
    "DROP INDEX IF EXISTS search_searchentry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title_terms, summary_terms, body_terms, meta_terms,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_terms, summary_terms, body_terms, meta_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms, new.meta_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, summary_terms, body_terms,
            meta_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms,
            old.meta_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, summary_terms, body_terms,
            meta_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms,
            old.meta_terms);
        INSERT INTO search_fts(rowid, title_terms, summary_terms, body_terms, meta_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms, new.meta_terms);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]


def install(schema_editor):
    """Create the full-text index of the database ``schema_editor`` works on."""
    vendor_name = schema_editor.connection.vendor
    statements = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor_name, [])
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor):
    vendor_name = schema_editor.connection.vendor
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor_name, [])
    for statement in statements:
        schema_editor.execute(statement)
