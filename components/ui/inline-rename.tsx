"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

/**
 * A title edited in place, as the library and the conversation list offer it:
 * Enter saves (a blank title is not sent), Escape leaves it as it was, and a
 * refusal is shown under the field.
 */
export function InlineRename({
  label,
  initial,
  maxLength,
  save,
  onDone,
}: {
  label: string;
  initial: string;
  maxLength: number;
  /** Saves the trimmed title; onDone follows once it resolves. */
  save: (title: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const [title, setTitle] = useState(initial);
  const rename = useMutation({
    mutationFn: save,
    onSuccess: onDone,
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (title.trim()) rename.mutate(title.trim());
      }}
      className="flex flex-col gap-1"
    >
      <input
        autoFocus
        aria-label={label}
        value={title}
        maxLength={maxLength}
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => event.key === "Escape" && onDone()}
        disabled={rename.isPending}
        className="w-full rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <span className="text-xs text-slate-600 dark:text-slate-400">Enter to save, Escape to cancel</span>
      {rename.isError && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {rename.error.message}
        </span>
      )}
    </form>
  );
}
