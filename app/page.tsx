import { DocumentList } from "@/components/document-list";
import { IngestForm } from "@/components/ingest-form";
import { SearchPanel } from "@/components/search-panel";

export default function Home() {
  return (
    <main className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-8 sm:px-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">pgrag</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Add text, then search it by meaning. Everything is stored in PostgreSQL with pgvector.
        </p>
      </header>
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-labelledby="add-heading" className="flex flex-col gap-6">
          <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="add-heading" className="mb-4 text-lg font-semibold">
              Add text
            </h2>
            <IngestForm />
          </div>
          <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 className="mb-3 text-lg font-semibold">Library</h2>
            <DocumentList />
          </div>
        </section>
        <section
          aria-labelledby="search-heading"
          className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id="search-heading" className="mb-4 text-lg font-semibold">
            Search
          </h2>
          <SearchPanel />
        </section>
      </div>
    </main>
  );
}
