import { Suspense } from "react";
import { Panel } from "@/components/panel";
import { SearchPage } from "@/components/search/search-page";

export const metadata = { title: "Search · pgrag" };

export default function Search() {
  return (
    <main id="main" className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-8 sm:px-6">
      <Panel id="search-heading" title="Search">
        {/* The page reads its settings from the URL, which is only known in the browser. */}
        <Suspense>
          <SearchPage />
        </Suspense>
      </Panel>
    </main>
  );
}
