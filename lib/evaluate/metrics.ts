/**
 * Ranking metrics as BEIR reports them (pytrec_eval's definitions), for one
 * query: `ranked` is the system's document ids, best first; `judged` maps
 * document ids to relevance grades, where 0 or absent means not relevant.
 */

export function ndcgAt(k: number, ranked: string[], judged: Map<string, number>): number {
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + gain(judged.get(id)) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .filter((grade) => grade > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

export function recallAt(k: number, ranked: string[], judged: Map<string, number>): number {
  const relevant = [...judged.values()].filter((grade) => grade > 0).length;
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => gain(judged.get(id)) > 0).length / relevant;
}

/** Reciprocal rank of the first relevant document within the top k, else 0. */
export function mrrAt(k: number, ranked: string[], judged: Map<string, number>): number {
  const index = ranked.slice(0, k).findIndex((id) => gain(judged.get(id)) > 0);
  return index === -1 ? 0 : 1 / (index + 1);
}

export interface RunScores {
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
}

/** Each metric averaged over the judged queries; a query the run has no answer for scores 0. */
export function scoreRun(run: Map<string, string[]>, qrels: Map<string, Map<string, number>>): RunScores {
  const totals = { ndcg10: 0, recall10: 0, recall100: 0, mrr10: 0 };
  for (const [queryId, judged] of qrels) {
    const ranked = run.get(queryId) ?? [];
    totals.ndcg10 += ndcgAt(10, ranked, judged);
    totals.recall10 += recallAt(10, ranked, judged);
    totals.recall100 += recallAt(100, ranked, judged);
    totals.mrr10 += mrrAt(10, ranked, judged);
  }
  const n = Math.max(1, qrels.size);
  return {
    ndcg10: totals.ndcg10 / n,
    recall10: totals.recall10 / n,
    recall100: totals.recall100 / n,
    mrr10: totals.mrr10 / n,
  };
}

function gain(grade: number | undefined): number {
  return grade !== undefined && grade > 0 ? grade : 0;
}
