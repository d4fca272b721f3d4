-- Searches and document reads may go to streaming replicas (DATABASE_READ_URL).
-- A replica serves one only when it has every change to what can be found that
-- the primary has committed: this counter goes up, in the same transaction,
-- whenever a document is added, becomes searchable or stops being (ready or
-- not, renamed), or is deleted, and a replica whose counter is behind the
-- primary's is passed over (lib/db/replicas.ts). A person who watched their
-- upload become ready therefore finds it, however far a replica lags; only
-- progress within a step (chunks embedded so far) may show a moment late.
CREATE TABLE library_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO library_version DEFAULT VALUES;
--> statement-breakpoint
CREATE FUNCTION library_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE library_version SET version = version + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER library_version_insert AFTER INSERT ON documents
  FOR EACH STATEMENT EXECUTE FUNCTION library_version_bump();
--> statement-breakpoint
CREATE TRIGGER library_version_update AFTER UPDATE ON documents
  FOR EACH ROW WHEN ((OLD.status = 'ready') IS DISTINCT FROM (NEW.status = 'ready') OR OLD.title IS DISTINCT FROM NEW.title)
  EXECUTE FUNCTION library_version_bump();
--> statement-breakpoint
CREATE TRIGGER library_version_delete AFTER DELETE ON documents
  FOR EACH STATEMENT EXECUTE FUNCTION library_version_bump();
