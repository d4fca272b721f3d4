import type { Metadata } from "next";
import { FirstRun } from "@/components/first-run";
import { DocumentLibrary } from "@/components/document-library";
import { Panel } from "@/components/panel";
import { UploadPanel } from "@/components/upload-panel";

export const metadata: Metadata = { title: "Documents · pgrag" };

export default function DocumentsPage() {
  return (
    <main id="main" className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold tracking-tight">Documents</h1>
      <FirstRun />
      <Panel id="upload-heading" title="Upload">
        <UploadPanel />
      </Panel>
      <Panel id="library-heading" title="Library">
        <DocumentLibrary />
      </Panel>
    </main>
  );
}
