-- Chunks are indexed under their document's title, so renaming a document
-- indexes its chunks again (an UPDATE of search_vector). The statistics BM25
-- reads (postings, each term's chunk count, the corpus's word count) were kept
-- for inserts and deletes only; this keeps them for such updates: the changed
-- chunks' old terms are taken out and their new ones put in, in lexeme order
-- as every writer locks them. (A column list cannot go with transition
-- tables, so the trigger fires on every update and looks for changed vectors.)
CREATE FUNCTION keyword_statistics_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS keyword_reindexed (id integer, old_vector tsvector, new_vector tsvector, old_length integer, new_length integer) ON COMMIT DROP;
  TRUNCATE keyword_reindexed;
  INSERT INTO keyword_reindexed
    SELECT o.id, o.search_vector, n.search_vector, o.search_length, n.search_length
    FROM old_chunks AS o JOIN new_chunks AS n ON n.id = o.id
    WHERE o.search_vector IS DISTINCT FROM n.search_vector;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM keyword_terms AS t
    WHERE t.term IN (SELECT u.lexeme FROM keyword_reindexed AS r, unnest(r.old_vector) AS u)
    ORDER BY t.term FOR UPDATE;
  UPDATE keyword_terms AS t SET chunks = t.chunks - g.chunks
    FROM (SELECT u.lexeme AS term, count(*) AS chunks FROM keyword_reindexed AS r, unnest(r.old_vector) AS u GROUP BY u.lexeme) AS g
    WHERE t.term = g.term;
  DELETE FROM keyword_postings AS p
    USING (SELECT u.lexeme AS term, r.id AS chunk_id FROM keyword_reindexed AS r, unnest(r.old_vector) AS u) AS gone
    WHERE p.term = gone.term AND p.chunk_id = gone.chunk_id;
  INSERT INTO keyword_terms AS t (term, chunks)
    SELECT u.lexeme, count(*) FROM keyword_reindexed AS r, unnest(r.new_vector) AS u
    GROUP BY u.lexeme ORDER BY u.lexeme
  ON CONFLICT (term) DO UPDATE SET chunks = t.chunks + excluded.chunks;
  DELETE FROM keyword_terms AS t
    WHERE t.chunks <= 0 AND t.term IN (SELECT u.lexeme FROM keyword_reindexed AS r, unnest(r.old_vector) AS u);
  INSERT INTO keyword_postings (term, chunk_id, tf, length)
    SELECT u.lexeme, r.id, coalesce(array_length(u.positions, 1), 1), r.new_length
    FROM keyword_reindexed AS r, unnest(r.new_vector) AS u;
  UPDATE keyword_corpus SET
    words = keyword_corpus.words + (SELECT coalesce(sum(new_length - old_length), 0) FROM keyword_reindexed);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER keyword_statistics_update AFTER UPDATE ON chunks
  REFERENCING OLD TABLE AS old_chunks NEW TABLE AS new_chunks
  FOR EACH STATEMENT EXECUTE FUNCTION keyword_statistics_update();
