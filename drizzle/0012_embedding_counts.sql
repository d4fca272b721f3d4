ALTER TABLE "embedding_models" ADD COLUMN "embeddings" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "embedding_models" AS m SET "embeddings" = (SELECT count(*) FROM chunk_embeddings AS e WHERE e.model_id = m.id);
--> statement-breakpoint
-- Health and re-embedding progress read these counts on every request; the
-- triggers keep them, once per statement, as keyword_corpus is kept.
CREATE FUNCTION embedding_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE embedding_models AS m SET embeddings = m.embeddings + n.rows
    FROM (SELECT model_id, count(*) AS rows FROM new_embeddings GROUP BY model_id) AS n
    WHERE m.id = n.model_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER embedding_counts_insert AFTER INSERT ON chunk_embeddings
  REFERENCING NEW TABLE AS new_embeddings
  FOR EACH STATEMENT EXECUTE FUNCTION embedding_counts_insert();
--> statement-breakpoint
CREATE FUNCTION embedding_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE embedding_models AS m SET embeddings = m.embeddings - o.rows
    FROM (SELECT model_id, count(*) AS rows FROM old_embeddings GROUP BY model_id) AS o
    WHERE m.id = o.model_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER embedding_counts_delete AFTER DELETE ON chunk_embeddings
  REFERENCING OLD TABLE AS old_embeddings
  FOR EACH STATEMENT EXECUTE FUNCTION embedding_counts_delete();
