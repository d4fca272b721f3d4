-- Keyword search's postings move from one row per (term, chunk) to blocks of
-- 128 postings per row, packed 10 bytes each (chunk id int4, tf int2, chunk
-- length int4, big-endian, in chunk order), as search engines store them.
-- BM25 then reads a common term's 30,000 postings as 240 rows instead of
-- 30,000 and scores them in the app; the index shrinks about sevenfold.
-- A block covers first_chunk_id..last_chunk_id and no other block of its term
-- overlaps it, so each chunk's posting is found by one index probe.
CREATE TABLE "keyword_blocks" (
	"term" text NOT NULL,
	"first_chunk_id" integer NOT NULL,
	"last_chunk_id" integer NOT NULL,
	"postings" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "keyword_blocks_term_first_chunk_id_pk" PRIMARY KEY("term","first_chunk_id")
);
--> statement-breakpoint
-- Postings a block takes before the next one starts (a block merged into by
-- a late writer may hold more).
CREATE FUNCTION keyword_block_size() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 128 $$;
--> statement-breakpoint
CREATE FUNCTION keyword_posting_record(chunk_id integer, tf integer, length integer) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT int4send(chunk_id) || int2send(tf::int2) || int4send(length) $$;
--> statement-breakpoint
-- A block's postings as rows, for the triggers that rewrite blocks and for
-- anyone reading the index in SQL.
CREATE FUNCTION keyword_block_postings(data bytea) RETURNS TABLE (chunk_id integer, tf integer, length integer)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('x' || encode(substring(data FROM i * 10 + 1 FOR 4), 'hex'))::bit(32)::integer,
         ('x' || encode(substring(data FROM i * 10 + 5 FOR 2), 'hex'))::bit(16)::integer,
         ('x' || encode(substring(data FROM i * 10 + 7 FOR 4), 'hex'))::bit(32)::integer
  FROM generate_series(0, length(data) / 10 - 1) AS i
$$;
--> statement-breakpoint
INSERT INTO keyword_blocks (term, first_chunk_id, last_chunk_id, postings, data)
  SELECT term, min(chunk_id), max(chunk_id), count(*),
         string_agg(keyword_posting_record(chunk_id, tf, length), ''::bytea ORDER BY chunk_id)
  FROM (SELECT p.*, (row_number() OVER (PARTITION BY p.term ORDER BY p.chunk_id) - 1) / keyword_block_size() AS block
        FROM keyword_postings AS p) AS numbered
  GROUP BY term, block;
--> statement-breakpoint
DROP TABLE "keyword_postings" CASCADE;
--> statement-breakpoint
-- Each term's last block (the one with the highest chunk ids), for the terms
-- given: where new postings go, and the end past which a posting is new.
CREATE FUNCTION keyword_block_tails(terms text[]) RETURNS TABLE (term text, first_chunk_id integer, last_chunk_id integer, postings integer)
  LANGUAGE sql STABLE AS $$
  SELECT t.term, b.first_chunk_id, b.last_chunk_id, b.postings
  FROM (SELECT DISTINCT u.term FROM unnest(terms) AS u(term)) AS t
  CROSS JOIN LATERAL (
    SELECT k.first_chunk_id, k.last_chunk_id, k.postings FROM keyword_blocks AS k
    WHERE k.term = t.term ORDER BY k.first_chunk_id DESC LIMIT 1
  ) AS b
$$;
--> statement-breakpoint
-- Adds postings (one per array position). A chunk newer than everything its
-- term holds, the usual case, goes to the term's last block while it has room
-- and then to new blocks; an older one (a chunk re-indexed on rename, a writer
-- that committed late) is merged in chunk order into the block whose range
-- it falls in. Merges run first: they never move a term's last chunk id, so
-- the appends that follow see the same ends.
CREATE FUNCTION keyword_blocks_add(terms text[], chunk_ids integer[], tfs integer[], lengths integer[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  WITH incoming AS (
    SELECT * FROM unnest(terms, chunk_ids, tfs, lengths) AS p(term, chunk_id, tf, length)
  ),
  tails AS (
    SELECT * FROM keyword_block_tails(terms)
  ),
  late AS (
    SELECT p.*, coalesce(
      (SELECT b.first_chunk_id FROM keyword_blocks AS b
        WHERE b.term = p.term AND b.first_chunk_id <= p.chunk_id ORDER BY b.first_chunk_id DESC LIMIT 1),
      (SELECT b.first_chunk_id FROM keyword_blocks AS b WHERE b.term = p.term ORDER BY b.first_chunk_id LIMIT 1)
    ) AS block
    FROM incoming AS p JOIN tails AS t ON t.term = p.term
    WHERE p.chunk_id <= t.last_chunk_id
  ),
  merged AS (
    SELECT x.term, x.block, min(x.chunk_id) AS first_chunk_id, max(x.chunk_id) AS last_chunk_id, count(*) AS postings,
           string_agg(keyword_posting_record(x.chunk_id, x.tf, x.length), ''::bytea ORDER BY x.chunk_id) AS data
    FROM (
      SELECT t.term, t.block, r.chunk_id, r.tf, r.length
      FROM (SELECT DISTINCT term, block FROM late) AS t
      JOIN keyword_blocks AS b ON b.term = t.term AND b.first_chunk_id = t.block
      CROSS JOIN LATERAL keyword_block_postings(b.data) AS r
      UNION ALL
      SELECT term, block, chunk_id, tf, length FROM late
    ) AS x
    GROUP BY x.term, x.block
  )
  UPDATE keyword_blocks AS b
    SET first_chunk_id = m.first_chunk_id, last_chunk_id = m.last_chunk_id, postings = m.postings, data = m.data
    FROM merged AS m WHERE b.term = m.term AND b.first_chunk_id = m.block;

  WITH incoming AS (
    SELECT * FROM unnest(terms, chunk_ids, tfs, lengths) AS p(term, chunk_id, tf, length)
  ),
  tails AS (
    SELECT * FROM keyword_block_tails(terms)
  ),
  fresh AS (
    SELECT p.*, t.first_chunk_id AS tail, greatest(keyword_block_size() - coalesce(t.postings, keyword_block_size()), 0) AS room,
           row_number() OVER (PARTITION BY p.term ORDER BY p.chunk_id) AS position
    FROM incoming AS p LEFT JOIN tails AS t ON t.term = p.term
    WHERE t.term IS NULL OR p.chunk_id > t.last_chunk_id
  ),
  appended AS (
    UPDATE keyword_blocks AS b
      SET data = b.data || f.data, postings = b.postings + f.postings, last_chunk_id = f.last_chunk_id
      FROM (
        SELECT term, tail, count(*) AS postings, max(chunk_id) AS last_chunk_id,
               string_agg(keyword_posting_record(chunk_id, tf, length), ''::bytea ORDER BY chunk_id) AS data
        FROM fresh WHERE position <= room GROUP BY term, tail
      ) AS f
      WHERE b.term = f.term AND b.first_chunk_id = f.tail
  )
  INSERT INTO keyword_blocks (term, first_chunk_id, last_chunk_id, postings, data)
    SELECT term, min(chunk_id), max(chunk_id), count(*),
           string_agg(keyword_posting_record(chunk_id, tf, length), ''::bytea ORDER BY chunk_id)
    FROM fresh WHERE position > room
    GROUP BY term, (position - room - 1) / keyword_block_size();
END $$;
--> statement-breakpoint
-- Takes postings out (term and chunk id per array position): each block that
-- held one is written again without it, or deleted once empty.
CREATE FUNCTION keyword_blocks_remove(terms text[], chunk_ids integer[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  WITH gone AS (
    SELECT * FROM unnest(terms, chunk_ids) AS g(term, chunk_id)
  ),
  affected AS (
    SELECT DISTINCT g.term, b.first_chunk_id AS block
    FROM gone AS g
    CROSS JOIN LATERAL (
      SELECT b.first_chunk_id FROM keyword_blocks AS b
      WHERE b.term = g.term AND b.first_chunk_id <= g.chunk_id ORDER BY b.first_chunk_id DESC LIMIT 1
    ) AS b
  ),
  kept AS (
    SELECT a.term, a.block, r.chunk_id, r.tf, r.length
    FROM affected AS a
    JOIN keyword_blocks AS b ON b.term = a.term AND b.first_chunk_id = a.block
    CROSS JOIN LATERAL keyword_block_postings(b.data) AS r
    WHERE NOT EXISTS (SELECT FROM gone AS g WHERE g.term = a.term AND g.chunk_id = r.chunk_id)
  ),
  rebuilt AS (
    SELECT a.term, a.block, min(k.chunk_id) AS first_chunk_id, max(k.chunk_id) AS last_chunk_id, count(k.chunk_id) AS postings,
           string_agg(keyword_posting_record(k.chunk_id, k.tf, k.length), ''::bytea ORDER BY k.chunk_id) AS data
    FROM affected AS a LEFT JOIN kept AS k ON k.term = a.term AND k.block = a.block
    GROUP BY a.term, a.block
  ),
  emptied AS (
    DELETE FROM keyword_blocks AS b USING rebuilt AS r
    WHERE r.postings = 0 AND b.term = r.term AND b.first_chunk_id = r.block
  )
  UPDATE keyword_blocks AS b
    SET first_chunk_id = r.first_chunk_id, last_chunk_id = r.last_chunk_id, postings = r.postings, data = r.data
    FROM rebuilt AS r WHERE r.postings > 0 AND b.term = r.term AND b.first_chunk_id = r.block;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION keyword_statistics_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO keyword_terms AS t (term, chunks)
    SELECT u.lexeme, count(*) FROM new_chunks AS n, unnest(n.search_vector) AS u
    GROUP BY u.lexeme ORDER BY u.lexeme
  ON CONFLICT (term) DO UPDATE SET chunks = t.chunks + excluded.chunks;
  PERFORM keyword_blocks_add(array_agg(u.lexeme), array_agg(n.id), array_agg(coalesce(array_length(u.positions, 1), 1)), array_agg(n.search_length))
    FROM new_chunks AS n, unnest(n.search_vector) AS u;
  UPDATE keyword_corpus SET
    chunks = keyword_corpus.chunks + (SELECT count(*) FROM new_chunks),
    words = keyword_corpus.words + (SELECT coalesce(sum(search_length), 0) FROM new_chunks);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION keyword_statistics_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM keyword_terms AS t
    WHERE t.term IN (SELECT u.lexeme FROM old_chunks AS o, unnest(o.search_vector) AS u)
    ORDER BY t.term FOR UPDATE;
  UPDATE keyword_terms AS t SET chunks = t.chunks - r.chunks
    FROM (SELECT u.lexeme AS term, count(*) AS chunks FROM old_chunks AS o, unnest(o.search_vector) AS u GROUP BY u.lexeme) AS r
    WHERE t.term = r.term;
  DELETE FROM keyword_terms AS t
    WHERE t.chunks <= 0 AND t.term IN (SELECT u.lexeme FROM old_chunks AS o, unnest(o.search_vector) AS u);
  PERFORM keyword_blocks_remove(array_agg(u.lexeme), array_agg(o.id))
    FROM old_chunks AS o, unnest(o.search_vector) AS u;
  UPDATE keyword_corpus SET
    chunks = keyword_corpus.chunks - (SELECT count(*) FROM old_chunks),
    words = keyword_corpus.words - (SELECT coalesce(sum(search_length), 0) FROM old_chunks);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION keyword_statistics_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
  PERFORM keyword_blocks_remove(array_agg(u.lexeme), array_agg(r.id))
    FROM keyword_reindexed AS r, unnest(r.old_vector) AS u;
  INSERT INTO keyword_terms AS t (term, chunks)
    SELECT u.lexeme, count(*) FROM keyword_reindexed AS r, unnest(r.new_vector) AS u
    GROUP BY u.lexeme ORDER BY u.lexeme
  ON CONFLICT (term) DO UPDATE SET chunks = t.chunks + excluded.chunks;
  DELETE FROM keyword_terms AS t
    WHERE t.chunks <= 0 AND t.term IN (SELECT u.lexeme FROM keyword_reindexed AS r, unnest(r.old_vector) AS u);
  PERFORM keyword_blocks_add(array_agg(u.lexeme), array_agg(r.id), array_agg(coalesce(array_length(u.positions, 1), 1)), array_agg(r.new_length))
    FROM keyword_reindexed AS r, unnest(r.new_vector) AS u;
  UPDATE keyword_corpus SET
    words = keyword_corpus.words + (SELECT coalesce(sum(new_length - old_length), 0) FROM keyword_reindexed);
  RETURN NULL;
END $$;
