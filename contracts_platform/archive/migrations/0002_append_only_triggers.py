"""PostgreSQL: make the evidence log, object index and Merkle roots append-only.

Triggers refuse UPDATE and DELETE for every role, including the application's
own; only the table owner can switch them off (ALTER TABLE ... DISABLE TRIGGER).
Production should also run the app as a role without UPDATE/DELETE/TRUNCATE on
these tables. TRUNCATE is not trapped here because Django's test flush uses it.

MerkleRoot allows exactly one change: filling ``timestamp_token`` while it is NULL.
SQLite (development) gets no trigger; the audit still detects edits there.
"""

from django.db import migrations

APPEND_ONLY_TABLES = ("archive_evidenceevent", "archive_storedobject")

CREATE_SQL = [
    """
    CREATE OR REPLACE FUNCTION archive_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'archive: % on % refused, the table is append-only', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$;
    """,
    """
    CREATE OR REPLACE FUNCTION archive_merkleroot_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.timestamp_token IS NULL
           AND NEW.timestamp_token IS NOT NULL
           AND (NEW.id, NEW.day, NEW.first_seq, NEW.last_seq, NEW.leaf_count, NEW.root, NEW.created)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.day, OLD.first_seq, OLD.last_seq, OLD.leaf_count, OLD.root, OLD.created) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'archive: % on % refused, only a missing timestamp_token may be filled in',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$;
    """,
    *[
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION archive_refuse_change();
        """
        for table in APPEND_ONLY_TABLES
    ],
    """
    CREATE TRIGGER archive_merkleroot_append_only BEFORE UPDATE OR DELETE ON archive_merkleroot
    FOR EACH ROW EXECUTE FUNCTION archive_merkleroot_guard();
    """,
]

DROP_SQL = [
    *[f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in APPEND_ONLY_TABLES],
    "DROP TRIGGER IF EXISTS archive_merkleroot_append_only ON archive_merkleroot;",
    "DROP FUNCTION IF EXISTS archive_merkleroot_guard();",
    "DROP FUNCTION IF EXISTS archive_refuse_change();",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            # params=None: the SQL has literal % signs (RAISE formats), no placeholders.
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE_SQL), _run(DROP_SQL), elidable=False)]
