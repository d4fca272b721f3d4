import Link from "next/link";
import { IngestForm } from "@/components/ingest-form";
import { Panel } from "@/components/panel";
import { QuickSearch } from "@/components/search/quick-search";
import { UploadPanel } from "@/components/upload-panel";

export default function Home() {
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-8 sm:px-6">
      <header>
        <h1 className="sr-only">pgrag</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Add documents, then search them by meaning and by exact words, or{" "}
          <Link href="/chat" className="text-indigo-600 hover:underline dark:text-indigo-400">
            ask them questions
          </Link>{" "}
          and get answers that cite their sources. Everything is stored in PostgreSQL with pgvector.
        </p>
      </header>
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
