"use client";

import * as Dialog from "@radix-ui/react-dialog";

/** The ✕ that closes a sheet (the phone menu, a source beside the chat), named for what it closes. */
export function SheetClose({ label }: { label: string }) {
  return (
    <Dialog.Close className="shrink-0 rounded-lg p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800" aria-label={label}>
      <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <path d="M6 6l12 12M18 6L6 18" />
      </svg>
    </Dialog.Close>
  );
}
