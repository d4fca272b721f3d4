import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/lib/db/client";

type Posting = [term: string, chunkId: number, tf: number, length: number];

/**
 * What keyword_blocks must hold, checked against the chunks themselves: every
 * (term, chunk) of every chunk's text vector exactly once, with its frequency
 * and the chunk's length, each block's postings in chunk order between its
 * first and last chunk id, its count right, and no two blocks of a term
 * overlapping. Returns the problems found (none when the index is right).
 */
export async function keywordBlockProblems(db: Database): Promise<string[]> {
  const problems: string[] = [];
  const stored = await queryRows<{ term: string; first_chunk_id: number; last_chunk_id: number; postings: number; chunk_ids: number[]; tfs: number[]; lengths: number[] }>(db, sql`
    select b.term, b.first_chunk_id, b.last_chunk_id, b.postings,
           array_agg(p.chunk_id order by p.n) as chunk_ids, array_agg(p.tf order by p.n) as tfs, array_agg(p.length order by p.n) as lengths
    from keyword_blocks b cross join lateral keyword_block_postings(b.data) with ordinality as p(chunk_id, tf, length, n)
    group by b.term, b.first_chunk_id, b.last_chunk_id, b.postings
    order by b.term, b.first_chunk_id`);
  const fromBlocks: Posting[] = [];
  let previous: (typeof stored)[number] | undefined;
  for (const block of stored) {
    const ids = block.chunk_ids.map(Number);
    const name = `${block.term} block ${block.first_chunk_id}`;
    if (ids.length !== Number(block.postings)) problems.push(`${name}: says ${block.postings} postings, holds ${ids.length}`);
    if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) problems.push(`${name}: postings out of chunk order`);
    if (ids[0] !== Number(block.first_chunk_id) || ids.at(-1) !== Number(block.last_chunk_id)) {
      problems.push(`${name}: range ${block.first_chunk_id}..${block.last_chunk_id} but holds ${ids[0]}..${ids.at(-1)}`);
    }
    if (previous?.term === block.term && Number(previous.last_chunk_id) >= Number(block.first_chunk_id)) {
      problems.push(`${name}: overlaps the block before it (ending at ${previous.last_chunk_id})`);
    }
    ids.forEach((id, i) => fromBlocks.push([block.term, id, Number(block.tfs[i]), Number(block.lengths[i])]));
    previous = block;
  }
  const fromChunks = (
    await queryRows<{ term: string; chunk_id: number; tf: number; length: number }>(db, sql`
      select u.lexeme as term, c.id as chunk_id, coalesce(array_length(u.positions, 1), 1) as tf, c.search_length as length
      from chunks c, unnest(c.search_vector) u`)
  ).map((row): Posting => [row.term, Number(row.chunk_id), Number(row.tf), Number(row.length)]);
  const key = (p: Posting) => p.join("\u0000");
  const expected = new Set(fromChunks.map(key));
  const actual = new Map<string, number>();
  for (const posting of fromBlocks) actual.set(key(posting), (actual.get(key(posting)) ?? 0) + 1);
  for (const [posting, times] of actual) {
    if (!expected.has(posting)) problems.push(`stray posting ${posting.replaceAll("\u0000", " ")}`);
    else if (times > 1) problems.push(`posting ${posting.replaceAll("\u0000", " ")} stored ${times} times`);
  }
  for (const posting of expected) if (!actual.has(posting)) problems.push(`missing posting ${posting.replaceAll("\u0000", " ")}`);
  return problems;
}
