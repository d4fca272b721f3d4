import Link from "next/link";
import { IngestForm } from "@/components/ingest-form";
import { SearchPanel } from "@/components/search-panel";
import { UploadPanel } from "@/components/upload-panel";

const card = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900";

export default function Home() {
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-8 sm:px-6">
      <header>
        <h1 className="sr-only">pgrag</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Add documents, then search them by meaning. Everything is stored in PostgreSQL with pgvector.
        </p>
      </header>
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-labelledby="add-heading" className="flex flex-col gap-6">
          <div className={card}>
            <div className="mb-4 flex items-baseline justify-between gap-2">
              <h2 id="add-heading" className="text-lg font-semibold">
                Add files
              </h2>
              <Link href="/documents" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
                Library →
              </Link>
            </div>
            <UploadPanel />
          </div>
          <div className={card}>
            <h2 className="mb-4 text-lg font-semibold">Paste text</h2>
            <IngestForm />
          </div>
        </section>
        <section aria-labelledby="search-heading" className={card}>
          <h2 id="search-heading" className="mb-4 text-lg font-semibold">
            Search
          </h2>
          <SearchPanel />
        </section>
      </div>
    </main>
  );
}
