"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { DocumentSummaryJson } from "@/lib/api/schemas";

type Snapshots = Record<number, DocumentSummaryJson>;

const DocumentEventsContext = createContext<Snapshots>({});

/**
 * Listens to /api/documents/events once for the whole page and keeps the latest
 * state of every document that changed, so progress bars move live; lists are
 * refetched when a document settles.
 */
export function DocumentEventsProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [snapshots, setSnapshots] = useState<Snapshots>({});

  useEffect(() => {
    const source = new EventSource("/api/documents/events");
    source.addEventListener("document", (event) => {
      const document = JSON.parse((event as MessageEvent<string>).data) as DocumentSummaryJson;
      setSnapshots((previous) => ({ ...previous, [document.id]: document }));
      if (document.status === "ready" || document.status === "failed" || document.status === "queued") {
        void queryClient.invalidateQueries({ queryKey: ["documents"] });
        void queryClient.invalidateQueries({ queryKey: ["document", document.id] });
      }
    });
    return () => source.close();
  }, [queryClient]);

  return <DocumentEventsContext.Provider value={snapshots}>{children}</DocumentEventsContext.Provider>;
}

/** The freshest known state of documents: a function giving each the live one if it changed since it was fetched. */
export function useFreshDocuments() {
  const snapshots = useContext(DocumentEventsContext);
  return <T extends DocumentSummaryJson | undefined>(document: T): T => {
    if (!document) return document;
    const live = snapshots[document.id];
    return live && live.updated_at >= document.updated_at ? ({ ...document, ...live } as T) : document;
  };
}

/** The freshest known state of one document. */
export function useLiveDocument<T extends DocumentSummaryJson | undefined>(document: T): T {
  return useFreshDocuments()(document);
}
