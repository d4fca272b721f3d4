import { ApiDocs } from "@/components/docs/api-docs";

export const metadata = { title: "API · pgrag" };

export default function Docs() {
  return (
    <main id="main" className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 sm:px-6">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Every endpoint, generated from the schemas the server validates with; the same document is at{" "}
        <a href="/api/openapi.json" className="text-indigo-700 underline dark:text-indigo-400">
          /api/openapi.json
        </a>
        .
      </p>
      <ApiDocs />
    </main>
  );
}
