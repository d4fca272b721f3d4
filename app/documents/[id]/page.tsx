import { notFound } from "next/navigation";
import { DocumentView } from "@/components/document-view";

export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ chunk?: string }>;
}) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const chunk = Number((await searchParams).chunk);
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-8 sm:px-6">
      <DocumentView id={id} highlightChunk={Number.isInteger(chunk) ? chunk : undefined} />
    </main>
  );
}
