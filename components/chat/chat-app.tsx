"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { ChatPane } from "./chat-pane";
import { ConversationList } from "./conversation-list";

function idFrom(pathname: string): number | null {
  const match = /^\/chat\/(\d+)$/.exec(pathname);
  return match ? Number(match[1]) : null;
}

/**
 * The chat view: conversations beside the open one. Moving between them
 * changes the URL without a page load, and a new conversation takes its
 * address as soon as the server creates it, while its answer keeps streaming.
 */
export function ChatApp() {
  const pathname = usePathname();
  const conversationId = idFrom(pathname);
  // A fresh pane for each conversation opened, but not when a new one gets its id mid-answer.
  const [session, setSession] = useState(0);
  const [listOpen, setListOpen] = useState(false);

  useEffect(() => {
    const onPop = () => setSession((n) => n + 1);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const open = (id: number | null) => {
    window.history.pushState(null, "", id === null ? "/chat" : `/chat/${id}`);
    setSession((n) => n + 1);
    setListOpen(false);
  };

  return (
    <div className="mx-auto flex h-[calc(100dvh-3.5rem)] max-w-6xl flex-col gap-3 px-3 py-3 sm:px-6 md:grid md:grid-cols-[16rem_1fr] md:gap-6">
      <div className="md:hidden">
        <button
          type="button"
          aria-expanded={listOpen}
          onClick={() => setListOpen((v) => !v)}
          className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
        >
          {listOpen ? "Hide conversations" : "Conversations"}
        </button>
      </div>
      <aside className={`${listOpen ? "block max-h-[50vh]" : "hidden"} min-h-0 md:block md:max-h-none`}>
        <ConversationList activeId={conversationId} onSelect={open} onNew={() => open(null)} />
      </aside>
      <section aria-label="Chat" className="min-h-0 flex-1">
        <ChatPane
          key={session}
          conversationId={conversationId}
          onCreated={(id) => window.history.replaceState(null, "", `/chat/${id}`)}
        />
      </section>
    </div>
  );
}
