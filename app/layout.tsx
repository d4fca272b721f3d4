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
