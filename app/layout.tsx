import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ApiKeyGate } from "@/components/api-key-gate";
import { DocumentEventsProvider } from "@/components/document-events";
import { ModelBanner } from "@/components/model-banner";
import { QueryProvider } from "@/components/query-provider";
import { ReprocessBanner } from "@/components/reprocess-banner";
import { SiteNav } from "@/components/site-nav";
import "./globals.css";

export const metadata: Metadata = {
  title: "pgrag",
  description: "Search and ask your documents, stored in PostgreSQL with pgvector.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <QueryProvider>
          <DocumentEventsProvider>
            <a
              href="#main"
              className="sr-only rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50"
            >
              Skip to content
            </a>
            <SiteNav />
            <ModelBanner />
            <ReprocessBanner />
            {children}
            <ApiKeyGate />
          </DocumentEventsProvider>
        </QueryProvider>
      </body>
    </html>
  );
}
