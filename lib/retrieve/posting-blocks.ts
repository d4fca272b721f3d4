import "server-only";

/** Bytes per posting in a keyword_blocks row: chunk id (int4), tf (int2), chunk length (int4), big-endian. */
export const POSTING_BYTES = 10;
/** Shares below 2¹⁶ rounded to multiples of 2⁻³⁶ keep 52 significant bits: their sums are exact in any order. */
const SHARE_QUANTUM = 2 ** 36;

export interface ScoredTerm {
  idf: number;
  /** The term's keyword_blocks rows' data. */
  blocks: Uint8Array[];
}

/**
 * Every chunk any query term's postings name, with its BM25 score, best
 * first on demand. Scores add up in one array indexed by chunk id, as
 * Lucene's bulk scorer does, rather than in a hash table: a query's postings
 * (tens of thousands at 100,000 chunks) score in a few milliseconds.
 */
export interface ScoredChunks {
  count: number;
  /** Positions [from, to) of the ranking (score descending, then chunk id ascending), as chunk ids and scores. */
  slice(from: number, to: number): { chunkId: number; score: number }[];
}

// One accumulator for the process, grown to the widest span of chunk ids a
// search has needed: a search fills it and empties it again without awaiting
// in between, so searches running side by side never see each other's sums.
let accumulator = new Float64Array(0);

/**
 * Okapi BM25 per chunk: Σ over the query terms it holds of
 * idf · tf·(k1+1) / (tf + k1·(1 − b + b·length/averageLength)), each term's
 * share rounded to a multiple of 2⁻³⁶ (as PostgreSQL's round() does, ties to
 * even) so that equal chunks tie exactly and ties go to the lower chunk id.
 * The arithmetic runs in the order PostgreSQL runs the same formula in SQL
 * (as the exhaustive check in the tests does), so scores are bit for bit the
 * database's.
 */
export function scoreBlocks(terms: ScoredTerm[], k1: number, b: number, averageLength: number): ScoredChunks {
  let lowest = Infinity;
  let highest = -1;
  let postings = 0;
  for (const term of terms) {
    for (const block of term.blocks) {
      postings += block.byteLength / POSTING_BYTES;
      lowest = Math.min(lowest, int32At(block, 0));
      highest = Math.max(highest, int32At(block, block.byteLength - POSTING_BYTES));
    }
  }
  // Chunk ids only grow (a re-read library gets new ones), so past
  // DENSE_SLOTS ids the slots are handed out as chunks are first seen.
  const dense = highest - lowest < DENSE_SLOTS;
  const slots = dense ? highest - lowest + 1 : postings;
  const slotOf = new Map<number, number>();
  if (accumulator.length < slots) accumulator = new Float64Array(Math.max(slots, accumulator.length * 2));
  const sums = accumulator;
  // Typed arrays sized for the worst case: pushing onto plain arrays took
  // several times as long as all the scoring.
  const ids = new Int32Array(postings);
  const idSlots = new Int32Array(postings);
  let count = 0;
  for (const { idf, blocks } of terms) {
    for (const block of blocks) {
      for (let at = 0; at < block.byteLength; at += POSTING_BYTES) {
        const chunkId = int32At(block, at);
        // tf and length are positive: no sign to extend.
        const tf = (block[at + 4]! << 8) | block[at + 5]!;
        const length = int32At(block, at + 6);
        const scaled = ((idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * length) / averageLength))) * SHARE_QUANTUM;
        let slot: number;
        if (dense) slot = chunkId - lowest;
        else {
          slot = slotOf.get(chunkId) ?? slotOf.size;
          if (slot === slotOf.size) slotOf.set(chunkId, slot);
        }
        if (sums[slot] === 0) {
          ids[count] = chunkId;
          idSlots[count++] = slot;
        }
        sums[slot]! += roundHalfEven(scaled) / SHARE_QUANTUM;
      }
    }
  }
  // A share that rounded to 0 would list its chunk twice: the second reads 0 and is dropped.
  const scores = new Float64Array(count);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const slot = idSlots[i]!;
    if (sums[slot] === 0) continue;
    ids[kept] = ids[i]!;
    scores[kept++] = sums[slot]!;
    sums[slot] = 0;
  }
  return { count: kept, slice: (from, to) => rankSlice(ids.subarray(0, kept), scores.subarray(0, kept), from, to) };
}

/** Chunk ids a query's postings may span before slots are handed out per chunk: 128 MB of sums. */
export const DENSE_SLOTS = 2 ** 24;

/**
 * A big-endian int4 from a block. Read byte by byte rather than through a
 * DataView: on blocks at arbitrary offsets in node-postgres's buffers, a
 * DataView per block made decoding 3–4 times as slow, and the whole scoring
 * of 860,000 postings took 47 ms instead of 34 (scratch microbenchmark).
 */
function int32At(block: Uint8Array, at: number): number {
  return (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!;
}

/** PostgreSQL's round() on float8: to the nearest integer, halves to even. */
function roundHalfEven(x: number): number {
  const rounded = Math.round(x);
  return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

const ranksBefore = (ids: Int32Array, scores: Float64Array, i: number, j: number) =>
  scores[i]! > scores[j]! || (scores[i] === scores[j] && ids[i]! < ids[j]!);

/**
 * Positions [from, to) of the ranking. The best few (what nearly every search
 * wants) are picked with a heap in one pass; a deeper slice sorts them all.
 */
function rankSlice(ids: Int32Array, scores: Float64Array, from: number, to: number): { chunkId: number; score: number }[] {
  const want = Math.min(to, ids.length);
  if (from >= want) return [];
  let order: number[];
  if (want * 16 < ids.length) {
    // A heap of the best `want` seen so far, its worst at the root.
    const heap: number[] = [];
    const worse = (i: number, j: number) => ranksBefore(ids, scores, j, i);
    for (let i = 0; i < ids.length; i++) {
      if (heap.length < want) {
        heap.push(i);
        for (let c = heap.length - 1; c > 0; ) {
          const parent = (c - 1) >> 1;
          if (!worse(heap[c]!, heap[parent]!)) break;
          [heap[c], heap[parent]] = [heap[parent]!, heap[c]!];
          c = parent;
        }
      } else if (ranksBefore(ids, scores, i, heap[0]!)) {
        heap[0] = i;
        for (let p = 0; ; ) {
          const left = 2 * p + 1;
          const right = left + 1;
          let worst = p;
          if (left < heap.length && worse(heap[left]!, heap[worst]!)) worst = left;
          if (right < heap.length && worse(heap[right]!, heap[worst]!)) worst = right;
          if (worst === p) break;
          [heap[p], heap[worst]] = [heap[worst]!, heap[p]!];
          p = worst;
        }
      }
    }
    order = heap;
  } else {
    order = Array.from(ids, (_, i) => i);
  }
  order.sort((i, j) => (ranksBefore(ids, scores, i, j) ? -1 : ranksBefore(ids, scores, j, i) ? 1 : 0));
  return order.slice(from, want).map((i) => ({ chunkId: ids[i]!, score: scores[i]! }));
}
