"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, onUnauthorized } from "./api-client";

/** Whether this pgrag asks for a key and this browser is signed in: one request, shared by the gate and the nav. */
export function useSession() {
  return useQuery({ queryKey: ["session"], queryFn: api.session });
}

/**
 * When the server has an API key (API_KEY), asks for it once: the key is
 * exchanged for an HttpOnly session cookie and everything is loaded again.
 */
export function ApiKeyGate() {
  const queryClient = useQueryClient();
  // The server answered 401 to something: the key changed, or the session ended elsewhere.
  const [refused, setRefused] = useState(false);
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = useSession();
  const open = refused || (session.data?.required === true && !session.data.signed_in);

  useEffect(() => onUnauthorized(() => setRefused(true)), []);

  if (!open) return null;
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/60 p-4">
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby="api-key-title"
        className="flex w-full max-w-sm flex-col gap-3 rounded-xl bg-white p-5 shadow-xl dark:bg-slate-900"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setProblem(null);
          try {
            queryClient.setQueryData(["session"], await api.signIn(key));
            setRefused(false);
            setKey("");
            await queryClient.invalidateQueries();
          } catch (error) {
            setProblem((error as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h2 id="api-key-title" className="text-lg font-semibold">
          Sign in
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">This pgrag is protected by an API key. Enter it once; this browser remembers it.</p>
        <input
          type="password"
          autoFocus
          autoComplete="current-password"
          aria-label="API key"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          className="rounded-lg border border-slate-300 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
        />
        {problem && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy || !key.trim()} className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50">
          Sign in
        </button>
      </form>
    </div>
  );
}
