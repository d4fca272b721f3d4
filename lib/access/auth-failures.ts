/**
 * Failed sign-ins per client, with a delay that doubles after each failure
 * past a few free ones: a person who mistypes the key is not slowed, a script
 * guessing it gets ten tries in the first minute and a handful an hour after.
 * Kept in the process's memory, shared by the proxy and the sign-in route.
 */
export interface AuthFailures {
  /** When a client may try again, if it must wait. */
  wait(client: string, now?: number): number | undefined;
  /** Records a wrong key; returns how long the client must now wait, if at all. */
  fail(client: string, now?: number): number | undefined;
  /** The right key: the client's record is cleared. */
  succeed(client: string): void;
}

/** Wrong keys a client may send before it is made to wait. */
const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 1000;
const LONGEST_DELAY_MS = 15 * 60 * 1000;
/** A client that stopped failing for this long starts afresh. */
const FORGET_AFTER_MS = 60 * 60 * 1000;
/** Past this many clients, those not failing lately are forgotten, so the table cannot grow without bound. */
const PRUNE_ABOVE = 10_000;

export function createAuthFailures(): AuthFailures {
  const clients = new Map<string, { failures: number; last: number; until: number }>();
  const current = (client: string, now: number) => {
    const record = clients.get(client);
    if (record && now - record.last > FORGET_AFTER_MS) {
      clients.delete(client);
      return undefined;
    }
    return record;
  };
  const seconds = (until: number, now: number) => (until > now ? Math.ceil((until - now) / 1000) : undefined);
  return {
    wait(client, now = Date.now()) {
      const record = current(client, now);
      return record && seconds(record.until, now);
    },
    fail(client, now = Date.now()) {
      const record = current(client, now) ?? { failures: 0, last: now, until: 0 };
      record.failures += 1;
      record.last = now;
      const beyond = record.failures - FREE_FAILURES;
      if (beyond > 0) record.until = now + Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(beyond - 1, 30));
      clients.set(client, record);
      if (clients.size > PRUNE_ABOVE) {
        for (const [key, other] of clients) if (now - other.last > FIRST_DELAY_MS * 60) clients.delete(key);
      }
      return seconds(record.until, now);
    },
    succeed(client) {
      clients.delete(client);
    },
  };
}

// The proxy and the sign-in route are bundled apart: one table per process lives on globalThis.
const holder = globalThis as typeof globalThis & { __pgragAuthFailures?: AuthFailures };

export function authFailures(): AuthFailures {
  holder.__pgragAuthFailures ??= createAuthFailures();
  return holder.__pgragAuthFailures;
}

export type KeyCheck = { allowed: true } | { allowed: false; retryAfterSeconds?: number };

/**
 * A client's key, as the API and sign-in both judge it: refused unheard while
 * the client must wait (otherwise a guess would still say whether it was
 * right), else checked; a wrong key counts when one was presented (a request
 * without any, a page before signing in, is no guess).
 */
export async function checkKey(client: string, presented: boolean, isRight: () => boolean | Promise<boolean>): Promise<KeyCheck> {
  const failures = authFailures();
  const waiting = failures.wait(client);
  if (waiting) return { allowed: false, retryAfterSeconds: waiting };
  if (await isRight()) return { allowed: true };
  return { allowed: false, retryAfterSeconds: presented ? failures.fail(client) : undefined };
}

export function tooManyFailuresMessage(retryAfterSeconds: number): string {
  return `Too many wrong API keys from this client: try again in ${retryAfterSeconds} s.`;
}
