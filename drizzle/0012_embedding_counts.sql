ALTER TABLE "embedding_models" ADD COLUMN "embeddings" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "embedding_models" AS m SET "embeddings" = (SELECT count(*) FROM chunk_embeddings AS e WHERE e.model_id = m.id);
--> statement-breakpoint
-- Health and re-embedding progress read these counts on every request; the
-- triggers keep them, once per statement, as keyword_corpus is kept. One
-- function for both: each trigger names its rows "changed".
CREATE FUNCTION embedding_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE embedding_models AS m
    SET embeddings = m.embeddings + CASE WHEN TG_OP = 'INSERT' THEN c.rows ELSE -c.rows END
    FROM (SELECT model_id, count(*) AS rows FROM changed GROUP BY model_id) AS c
    WHERE m.id = c.model_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER embedding_counts_insert AFTER INSERT ON chunk_embeddings
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION embedding_counts();
--> statement-breakpoint
CREATE TRIGGER embedding_counts_delete AFTER DELETE ON chunk_embeddings
  REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION embedding_counts();
