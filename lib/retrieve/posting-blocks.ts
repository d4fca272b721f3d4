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
 * Chunks the query terms' postings name, with their BM25 scores, best first
 * on demand. Scores add up in one array indexed by chunk id, as Lucene's bulk
 * scorer does, rather than in a hash table.
 */
export interface ScoredChunks {
  count: number;
  /**
   * Every chunk left out of the ranking scores below this; those in it that
   * score at least this much rank exactly as among every chunk. 0 when every
   * chunk a posting names is ranked.
   */
  exactFrom: number;
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
 *
 * Given `top`, terms are scored rarest first, MaxScore-style (Turtle and
 * Flood; Lucene's MaxScoreBulkScorer): once even idf·(k1+1) for every term
 * left, a share no posting reaches, cannot lift a chunk the scored terms have
 * not named to the top-th best score so far, the terms left are only looked
 * up for the chunks that can still get there, a merge of chunk ids through
 * their blocks instead of a share worked out per posting. The common words,
 * most of a long query's postings, then cost a fraction of what they did.
 * The top ranks are exactly those of scoring everything (exactFrom says how
 * far down that holds).
 */
export function scoreBlocks(terms: ScoredTerm[], k1: number, b: number, averageLength: number, top = Infinity): ScoredChunks {
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
  const sums = new Accumulation(lowest, highest, postings, { k1, b, averageLength });
  const rarestFirst = [...terms].sort((x, y) => y.idf - x.idf);
  // What the terms from i on could add at most, with room for rounding.
  const mostLeft = rarestFirst.map((term) => term.idf * (k1 + 1) * (1 + 1e-9) + SHARE_ROOM);
  for (let i = mostLeft.length - 2; i >= 0; i--) mostLeft[i]! += mostLeft[i + 1]!;

  // Once pruning starts, the chunks that can still reach the top-th best
  // score, ascending, and that score, which only rises.
  let candidates: Int32Array | undefined;
  let threshold = 0;
  for (const [i, term] of rarestFirst.entries()) {
    const left = mostLeft[i + 1] ?? 0;
    if (candidates) {
      sums.addTermFor(term, candidates);
      if (candidates.length >= top) threshold = Math.max(threshold, sums.kthHighest(top, candidates));
      if (left > 0) candidates = sums.reaching(candidates, threshold - left);
      continue;
    }
    sums.addTerm(term);
    if (left === 0 || sums.count <= top || left >= sums.highest) continue;
    threshold = sums.kthHighest(top);
    if (left < threshold) candidates = sums.reaching(undefined, threshold - left);
  }
  return candidates ? sums.ranking(candidates, threshold) : sums.ranking(undefined, 0);
}

/** One term's BM25 share for a chunk, rounded as the ranking needs (see scoreBlocks). */
function termShare(idf: number, tf: number, length: number, k1: number, b: number, averageLength: number): number {
  const scaled = ((idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * length) / averageLength))) * SHARE_QUANTUM;
  return roundHalfEven(scaled) / SHARE_QUANTUM;
}

/** Above the most a rounded share can exceed the formula by (half a quantum) and float error. */
const SHARE_ROOM = 2 ** -30;

/**
 * Shares remembered per (tf, length) pair, for tf below REMEMBERED_TF and
 * lengths below REMEMBERED_LENGTH words (nearly every chunk: CHUNK_SIZE is 200
 * by default), -1 where not yet worked out. 128 KB, refilled per term, so
 * only terms with enough postings to repay the refill use it. In a scratch
 * microbenchmark (860,000 postings over a million chunk ids) it took scoring
 * every posting from 42 to 36 ns a posting.
 */
const REMEMBERED_TF = 16;
const REMEMBERED_LENGTH = 1024;
const REMEMBER_FROM_POSTINGS = 4096;
const rememberedShares = new Float64Array(REMEMBERED_TF * REMEMBERED_LENGTH);

/**
 * One term's shares. A common word's postings repeat a few (tf, length)
 * pairs many times over: each pair's share is worked out once and then
 * looked up.
 */
class TermShares {
  private readonly remembered: boolean;

  constructor(
    private readonly idf: number,
    blocks: Uint8Array[],
    private readonly bm25: { k1: number; b: number; averageLength: number },
  ) {
    this.remembered = blocks.reduce((bytes, block) => bytes + block.byteLength, 0) >= REMEMBER_FROM_POSTINGS * POSTING_BYTES;
    if (this.remembered) rememberedShares.fill(-1);
  }

  of(tf: number, length: number): number {
    const { k1, b, averageLength } = this.bm25;
    if (!this.remembered || tf >= REMEMBERED_TF || length >= REMEMBERED_LENGTH) return termShare(this.idf, tf, length, k1, b, averageLength);
    const pair = tf * REMEMBERED_LENGTH + length;
    const share = rememberedShares[pair]!;
    return share >= 0 ? share : (rememberedShares[pair] = termShare(this.idf, tf, length, k1, b, averageLength));
  }
}

/** The sums of one scoring, in the process's accumulator, and which chunks they belong to. */
class Accumulation {
  private readonly sums: Float64Array;
  private readonly dense: boolean;
  /** Chunk ids from the lowest to the highest any posting names. */
  private readonly span: number;
  /** Chunk ids past a dense span get slots as first seen. */
  private readonly slotOf = new Map<number, number>();
  /** Chunks with a sum, in the order first seen, and their slots. */
  private readonly ids: Int32Array;
  private readonly idSlots: Int32Array;
  count = 0;
  /** The highest sum so far. */
  highest = 0;

  constructor(
    private readonly lowest: number,
    highestId: number,
    postings: number,
    private readonly bm25: { k1: number; b: number; averageLength: number },
  ) {
    // Chunk ids only grow (a re-read library gets new ones), so past
    // DENSE_SLOTS ids the slots are handed out as chunks are first seen.
    this.dense = highestId - lowest < DENSE_SLOTS;
    this.span = highestId - lowest + 1;
    const slots = this.dense ? this.span : postings;
    if (accumulator.length < slots) accumulator = new Float64Array(Math.max(slots, accumulator.length * 2));
    this.sums = accumulator;
    // Typed arrays sized for the worst case: pushing onto plain arrays took
    // several times as long as all the scoring.
    this.ids = new Int32Array(postings);
    this.idSlots = new Int32Array(postings);
  }

  private slot(chunkId: number): number {
    if (this.dense) return chunkId - this.lowest;
    let slot = this.slotOf.get(chunkId);
    if (slot === undefined) this.slotOf.set(chunkId, (slot = this.slotOf.size));
    return slot;
  }

  /** Adds a share to a chunk's sum; a share that rounded to 0 adds nothing, so a sum of 0 means an unseen chunk. */
  private add(chunkId: number, share: number): void {
    if (share === 0) return;
    const slot = this.slot(chunkId);
    const sum = this.sums[slot]!;
    if (sum === 0) {
      this.ids[this.count] = chunkId;
      this.idSlots[this.count++] = slot;
    }
    this.sums[slot] = sum + share;
    if (sum + share > this.highest) this.highest = sum + share;
  }

  /** The term's share for every chunk its postings name. */
  addTerm({ idf, blocks }: ScoredTerm): void {
    const shares = new TermShares(idf, blocks, this.bm25);
    for (const block of blocks) {
      for (let at = 0; at < block.byteLength; at += POSTING_BYTES) {
        // tf and length are positive: no sign to extend.
        this.add(int32At(block, at), shares.of((block[at + 4]! << 8) | block[at + 5]!, int32At(block, at + 6)));
      }
    }
  }

  /** The term's share for the candidates (ascending chunk ids) its postings name; other postings are only skipped over. */
  addTermFor({ idf, blocks }: ScoredTerm, candidates: Int32Array): void {
    const shares = new TermShares(idf, blocks, this.bm25);
    for (const block of blocks) {
      const last = int32At(block, block.byteLength - POSTING_BYTES);
      let next = lowerBound(candidates, int32At(block, 0));
      for (let at = 0; at < block.byteLength && next < candidates.length && candidates[next]! <= last; at += POSTING_BYTES) {
        const chunkId = int32At(block, at);
        while (next < candidates.length && candidates[next]! < chunkId) next++;
        if (candidates[next] !== chunkId) continue;
        this.add(chunkId, shares.of((block[at + 4]! << 8) | block[at + 5]!, int32At(block, at + 6)));
      }
    }
  }

  /** The sums of the chunks given, or of all seen, in their order. */
  private sumsOf(chunks: Int32Array | undefined): Float64Array {
    const count = chunks ? chunks.length : this.count;
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = this.sums[chunks ? this.slot(chunks[i]!) : this.idSlots[i]!]!;
    return values;
  }

  /** The k-th highest sum (k within their number) of the chunks given, or of all seen. */
  kthHighest(k: number, chunks?: Int32Array): number {
    return kthLargest(this.sumsOf(chunks), k);
  }

  /** Of the chunks given (ascending), or else of all seen, those whose sums are at least `floor` (above 0), ascending. */
  reaching(chunks: Int32Array | undefined, floor: number): Int32Array {
    if (chunks) return chunks.filter((chunkId) => this.sums[this.slot(chunkId)]! >= floor);
    const reaching = new Int32Array(this.count);
    let found = 0;
    if (this.dense && this.span <= SCAN_SPAN_PER_CHUNK * this.count) {
      // Walking the slots gives the ids in order: cheaper than sorting them.
      for (let slot = 0; slot < this.span; slot++) if (this.sums[slot]! >= floor) reaching[found++] = slot + this.lowest;
      return reaching.subarray(0, found);
    }
    for (let i = 0; i < this.count; i++) if (this.sums[this.idSlots[i]!]! >= floor) reaching[found++] = this.ids[i]!;
    return reaching.subarray(0, found).sort();
  }

  /** The ranking of the chunks given (all seen when none are), emptying every slot this scoring used. */
  ranking(chunks: Int32Array | undefined, exactFrom: number): ScoredChunks {
    const ids = chunks ?? this.ids.subarray(0, this.count);
    const scores = this.sumsOf(chunks);
    for (let i = 0; i < this.count; i++) this.sums[this.idSlots[i]!] = 0;
    return { count: ids.length, exactFrom, slice: (from, to) => rankSlice(ids, scores, from, to) };
  }
}

/** Slots walked per chunk seen, at most, rather than sorting the chunks' ids. */
const SCAN_SPAN_PER_CHUNK = 16;

/** The k-th largest of the values (k within their number), by quickselect: reorders them. */
function kthLargest(values: Float64Array, k: number): number {
  let [low, high] = [0, values.length - 1];
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let [i, j] = [low, high];
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swapped = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swapped;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}

/** The first position in the ascending ids holding at least `id`. */
function lowerBound(ids: Int32Array, id: number): number {
  let [low, high] = [0, ids.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
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
