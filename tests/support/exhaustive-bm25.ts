import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/lib/db/client";
import { DEFAULT_BM25, TEXT_SEARCH_CONFIG, type Bm25Parameters } from "@/lib/retrieve/keyword";

/**
 * BM25 the slow, obvious way, for checking the fast one: every posting of
 * every query term scored (each term's share rounded as keywordSearch rounds it), from the chunks' own text vectors rather than the
 * postings table, and the best `limit` of the ready documents' chunks kept.
 */
export async function exhaustiveBm25(
  db: Database,
  query: string,
  { limit, bm25 = DEFAULT_BM25, documentIds }: { limit: number; bm25?: Bm25Parameters; documentIds?: number[] },
): Promise<{ chunkId: number; score: number }[]> {
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  const rows = await queryRows<{ chunk_id: number; score: number }>(db, sql`
    with corpus as (
      select count(*)::float8 as n, sum(c.search_length)::float8 / count(*) as average_length from chunks c
    ),
    terms as (
      select distinct q.term from unnest(tsvector_to_array(to_tsvector(${config}, ${query}))) as q(term)
    ),
    q as (
      select u.lexeme as term, ln(1 + ((select n from corpus) - count(*) + 0.5) / (count(*) + 0.5)) as idf
      from chunks c, unnest(c.search_vector) u
      where u.lexeme in (select term from terms)
      group by u.lexeme
    )
    select c.id as chunk_id,
           sum(round(q.idf * (coalesce(array_length(u.positions, 1), 1) * (${bm25.k1}::float8 + 1))
               / (coalesce(array_length(u.positions, 1), 1)
                  + ${bm25.k1}::float8 * (1 - ${bm25.b}::float8 + ${bm25.b}::float8 * c.search_length / (select average_length from corpus)))
               * 2::float8 ^ 36) / 2::float8 ^ 36) as score
    from chunks c
    join documents d on d.id = c.document_id
    cross join lateral unnest(c.search_vector) u
    join q on q.term = u.lexeme
    where d.status = 'ready' ${documentIds ? sql`and d.id = any(${`{${documentIds.join(",")}}`}::int[])` : sql``}
    group by c.id
    order by score desc, c.id
    limit ${limit}`);
  return rows.map((row) => ({ chunkId: Number(row.chunk_id), score: Number(row.score) }));
}
