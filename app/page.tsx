import Link from "next/link";
import { FirstRun } from "@/components/first-run";
import { IngestForm } from "@/components/ingest-form";
import { Panel } from "@/components/panel";
import { QuickSearch } from "@/components/search/quick-search";
import { UploadPanel } from "@/components/upload-panel";

export default function Home() {
  return (
    <main id="main" className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-8 sm:px-6">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="max-w-2xl">
          <h1 className="text-2xl font-bold tracking-tight">Search and ask your documents</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Add files or text, then search them by meaning and by exact words, or ask questions and get answers that
            cite their sources. Everything is stored in PostgreSQL with pgvector.
          </p>
        </div>
        <Link
          href="/chat"
          className="inline-flex shrink-0 items-center justify-center gap-2 self-start rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 sm:self-auto"
        >
          Ask a question
          <span aria-hidden>→</span>
        </Link>
      </header>
      <FirstRun />
      <div className="grid grid-cols-1 items-start gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="flex flex-col gap-6">
          <Panel
            id="add-heading"
            title="Add files"
            aside={
              <Link href="/documents" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
                Library →
              </Link>
            }
          >
            <UploadPanel />
          </Panel>
          <Panel id="paste-heading" title="Paste text">
            <IngestForm />
          </Panel>
        </div>
        <Panel id="search-heading" title="Search">
          <QuickSearch />
          <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
            Results show as you type on the search page, with their scores, matched words highlighted, and filters by
            document, file type and date.
          </p>
        </Panel>
      </div>
    </main>
  );
}
