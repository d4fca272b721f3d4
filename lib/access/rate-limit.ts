/**
 * Per-client token buckets for the expensive endpoints (search, answers,
 * ingestion): a client may spend a minute's allowance in a burst, then gets
 * it back steadily. Kept in the process's memory: each app instance limits
 * on its own, which bounds the load any one client puts on it.
 */
export interface RateLimiter {
  /** Spends one request for this client; says when to retry if none is left. */
  take(client: string, now?: number): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

/** Idle clients are forgotten once the table grows past this, so it cannot grow without bound. */
const PRUNE_ABOVE = 10_000;

export function createRateLimiter(perMinute: number): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return {
    take(client, now = Date.now()) {
      const bucket = buckets.get(client) ?? { tokens: perMinute, at: now };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      buckets.set(client, bucket);
      if (buckets.size > PRUNE_ABOVE) {
        for (const [key, other] of buckets) if (now - other.at > 60_000) buckets.delete(key);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerMs / 1000) };
    },
  };
}

/**
 * Searching, answering, ingesting, retrying a document and re-embedding the
 * library: what costs a forward pass of a model or a write.
 */
export function isExpensive(method: string, pathname: string): boolean {
  if (method !== "POST") return false;
  return (
    ["/api/search", "/api/chat", "/api/documents", "/api/reembed", "/v1/chat/completions", "/search", "/answer", "/ingest"].includes(pathname) ||
    /^\/api\/documents\/[^/]+\/retry$/.test(pathname)
  );
}
