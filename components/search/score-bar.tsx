/** A score as a number and a bar. `scale` is the score a full bar stands for. */
export function ScoreBar({ score, scale, label }: { score: number; scale: number; label: string }) {
  const share = scale > 0 ? Math.max(0, Math.min(1, score / scale)) : 0;
  return (
    <div className="flex shrink-0 items-center gap-2" title={label}>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={scale}
        aria-valuenow={score}
        className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className="h-full rounded-full bg-indigo-500" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="font-mono text-xs tabular-nums" data-testid="score">
        {score.toFixed(3)}
      </span>
    </div>
  );
}
