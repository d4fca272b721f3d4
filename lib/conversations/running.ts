import "server-only";

/**
 * Answers being written, by conversation, so that Stop reaches the turn that
 * writes the answer while its stream stays open to carry the saved result
 * back. Kept on globalThis: each route is bundled with its own copy of this
 * module, and the stop route must see the chat route's turns.
 */
const holder = globalThis as typeof globalThis & { __pgragRunningTurns?: Map<number, Set<AbortController>> };
const running = () => (holder.__pgragRunningTurns ??= new Map());

/** Registers a turn's controller; the returned function removes it when the turn ends. */
export function trackTurn(conversationId: number, controller: AbortController): () => void {
  const turns = running().get(conversationId) ?? new Set();
  turns.add(controller);
  running().set(conversationId, turns);
  return () => {
    turns.delete(controller);
    if (turns.size === 0 && running().get(conversationId) === turns) running().delete(conversationId);
  };
}

/** Stops the answers being written in a conversation (on this instance); how many there were. */
export function stopTurns(conversationId: number): number {
  const turns = [...(running().get(conversationId) ?? [])];
  for (const controller of turns) controller.abort();
  return turns.length;
}
