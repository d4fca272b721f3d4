import type { Metadata } from "next";
import { DocumentLibrary } from "@/components/document-library";
import { UploadPanel } from "@/components/upload-panel";

export const metadata: Metadata = { title: "Documents · pgrag" };

export default function DocumentsPage() {
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold tracking-tight">Documents</h1>
      <section aria-labelledby="upload-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="upload-heading" className="mb-3 text-lg font-semibold">
          Upload
        </h2>
        <UploadPanel />
      </section>
      <section aria-labelledby="library-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="library-heading" className="mb-3 text-lg font-semibold">
          Library
        </h2>
        <DocumentLibrary />
      </section>
    </main>
  );
}
