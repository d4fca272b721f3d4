"use client";

import * as Dialog from "@radix-ui/react-dialog";
import Link from "next/link";
import type { SourceJson } from "@/lib/api/schemas";
import { ChunkText } from "../chunk-text";
import { describeLocation } from "@/lib/documents/location";
import { ScoreBar } from "../search/score-bar";
import { SheetClose } from "../ui/sheet-close";
import { sourceHref } from "./answer-markdown";

/**
 * One source read beside the conversation: a panel from the right on wide
 * screens, a sheet from the bottom on phones, so checking a citation never
 * leaves the chat. "Open in document" goes to the passage in its document.
 */
export function SourceSheet({ source, onClose }: { source: SourceJson | null; onClose: () => void }) {
  const href = source ? sourceHref(source) : null;
  const where = source?.location ? describeLocation(source.location, source.document_title) : "";
  return (
    <Dialog.Root open={source !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/30" />
        <Dialog.Content
          className="fixed inset-x-0 bottom-0 z-50 flex max-h-[85vh] flex-col rounded-t-2xl border border-slate-200 bg-white shadow-2xl sm:inset-x-auto sm:inset-y-0 sm:right-0 sm:max-h-none sm:w-[28rem] sm:rounded-none sm:border-y-0 sm:border-r-0 dark:border-slate-700 dark:bg-slate-900"
          data-testid="source-sheet"
        >
          {source && (
            <>
              <div className="flex items-start justify-between gap-3 border-b border-slate-200 p-4 dark:border-slate-800">
                <div className="min-w-0">
                  <p className="font-mono text-xs text-slate-600 dark:text-slate-400">Source {source.number}</p>
                  <Dialog.Title className="break-words text-base font-semibold">{source.document_title}</Dialog.Title>
                  <Dialog.Description className="text-xs text-slate-600 dark:text-slate-400">
                    {[where, source.cited ? "cited in the answer" : "searched, not cited"].filter(Boolean).join(" · ")}
                  </Dialog.Description>
                </div>
                <SheetClose label="Close source" />
              </div>
              <div className="flex-1 overflow-y-auto p-4">
                {source.removed ? (
                  <p className="text-sm text-amber-700 dark:text-amber-400">This source was removed: its document was deleted.</p>
                ) : (
                  <ChunkText text={source.content ?? ""} code={source.code} className="text-sm leading-relaxed" />
                )}
              </div>
              <div className="flex items-center justify-between gap-3 border-t border-slate-200 p-4 dark:border-slate-800">
                <ScoreBar score={source.score} scale={1} label={`Relevance of source ${source.number}`} />
                {href && (
                  <Link href={href} onClick={onClose} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700">
                    Open in document
                  </Link>
                )}
              </div>
            </>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
