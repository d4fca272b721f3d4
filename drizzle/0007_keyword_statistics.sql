-- BM25 needs, per chunk, its length in words and each term's frequency (the
-- postings), and across the corpus how many chunks hold each term plus the
-- total chunk and word counts. Triggers keep all of it current on every insert
-- and delete (including deletes cascading from a document), so no query ever
-- has to scan the corpus for them.
CREATE UNIQUE INDEX keyword_postings_term_chunk ON keyword_postings (term, chunk_id) INCLUDE (tf, length);
--> statement-breakpoint
CREATE FUNCTION chunks_search_length() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_length := (
    SELECT coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)
    FROM unnest(NEW.search_vector) AS u
  );
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER chunks_search_length BEFORE INSERT OR UPDATE OF search_vector ON chunks
  FOR EACH ROW EXECUTE FUNCTION chunks_search_length();
--> statement-breakpoint
-- Chunks stored before keyword search existed: index their text and headings
-- under their document's title, as new chunks are.
UPDATE chunks AS c SET search_vector = to_tsvector('english', concat_ws(' ',
  d.title,
  (SELECT string_agg(h, ' ') FROM jsonb_array_elements_text(coalesce(c.metadata -> 'headings', '[]'::jsonb)) AS h),
  c.content))
FROM documents AS d WHERE d.id = c.document_id;
--> statement-breakpoint
INSERT INTO keyword_corpus (id, chunks, words)
  SELECT true, count(*), coalesce(sum(search_length), 0) FROM chunks;
--> statement-breakpoint
INSERT INTO keyword_terms (term, chunks)
  SELECT u.lexeme, count(*) FROM chunks AS c, unnest(c.search_vector) AS u GROUP BY u.lexeme;
--> statement-breakpoint
INSERT INTO keyword_postings (term, chunk_id, tf, length)
  SELECT u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), c.search_length
  FROM chunks AS c, unnest(c.search_vector) AS u;
--> statement-breakpoint
-- Terms are locked in lexeme order by every writer, so two transactions
-- touching the same terms queue behind each other instead of deadlocking.
CREATE FUNCTION keyword_statistics_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO keyword_terms AS t (term, chunks)
    SELECT u.lexeme, count(*) FROM new_chunks AS n, unnest(n.search_vector) AS u
    GROUP BY u.lexeme ORDER BY u.lexeme
  ON CONFLICT (term) DO UPDATE SET chunks = t.chunks + excluded.chunks;
  INSERT INTO keyword_postings (term, chunk_id, tf, length)
    SELECT u.lexeme, n.id, coalesce(array_length(u.positions, 1), 1), n.search_length
    FROM new_chunks AS n, unnest(n.search_vector) AS u;
  UPDATE keyword_corpus SET
    chunks = keyword_corpus.chunks + (SELECT count(*) FROM new_chunks),
    words = keyword_corpus.words + (SELECT coalesce(sum(search_length), 0) FROM new_chunks);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER keyword_statistics_insert AFTER INSERT ON chunks
  REFERENCING NEW TABLE AS new_chunks
  FOR EACH STATEMENT EXECUTE FUNCTION keyword_statistics_insert();
--> statement-breakpoint
CREATE FUNCTION keyword_statistics_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM keyword_terms AS t
    WHERE t.term IN (SELECT u.lexeme FROM old_chunks AS o, unnest(o.search_vector) AS u)
    ORDER BY t.term FOR UPDATE;
  UPDATE keyword_terms AS t SET chunks = t.chunks - r.chunks
    FROM (SELECT u.lexeme AS term, count(*) AS chunks FROM old_chunks AS o, unnest(o.search_vector) AS u GROUP BY u.lexeme) AS r
    WHERE t.term = r.term;
  DELETE FROM keyword_terms AS t
    WHERE t.chunks <= 0 AND t.term IN (SELECT u.lexeme FROM old_chunks AS o, unnest(o.search_vector) AS u);
  DELETE FROM keyword_postings AS p
    USING (SELECT u.lexeme AS term, o.id AS chunk_id FROM old_chunks AS o, unnest(o.search_vector) AS u) AS gone
    WHERE p.term = gone.term AND p.chunk_id = gone.chunk_id;
  UPDATE keyword_corpus SET
    chunks = keyword_corpus.chunks - (SELECT count(*) FROM old_chunks),
    words = keyword_corpus.words - (SELECT coalesce(sum(search_length), 0) FROM old_chunks);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER keyword_statistics_delete AFTER DELETE ON chunks
  REFERENCING OLD TABLE AS old_chunks
  FOR EACH STATEMENT EXECUTE FUNCTION keyword_statistics_delete();
