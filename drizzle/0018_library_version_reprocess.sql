-- A ready document read again by a newer parser (lib/ingest/reprocess.ts)
-- stays ready and may keep its title while every chunk is replaced: replicas
-- must know that too, or one behind it would serve the old chunks to a
-- person who saw the new ones. The new chunks arrive with a new
-- processed_with, in the same transaction.
DROP TRIGGER library_version_update ON documents;
--> statement-breakpoint
CREATE TRIGGER library_version_update AFTER UPDATE ON documents
  FOR EACH ROW WHEN ((OLD.status = 'ready') IS DISTINCT FROM (NEW.status = 'ready')
    OR OLD.title IS DISTINCT FROM NEW.title
    OR OLD.processed_with IS DISTINCT FROM NEW.processed_with)
  EXECUTE FUNCTION library_version_bump();
