"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ConversationJson } from "@/lib/api/schemas";
import { api } from "../api-client";
import { ConfirmDelete } from "../ui/confirm-delete";
import { InlineRename } from "../ui/inline-rename";
import { PencilIcon, TrashIcon } from "../ui/icons";

export const conversationsKey = ["conversations"] as const;

/** The conversation list: newest activity first, each one renamed or deleted in place. */
export function ConversationList({
  activeId,
  onSelect,
  onNew,
}: {
  activeId: number | null;
  onSelect: (id: number) => void;
  onNew: () => void;
}) {
  const query = useQuery({ queryKey: conversationsKey, queryFn: api.listConversations });
  return (
    <nav aria-label="Conversations" className="flex h-full flex-col gap-2">
      <button
        type="button"
        onClick={onNew}
        className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-white dark:border-slate-700 dark:hover:bg-slate-900"
      >
        + New chat
      </button>
      {query.isError && <p className="text-xs text-red-600">{query.error.message}</p>}
      {query.data?.conversations.length === 0 && <p className="px-1 text-xs text-slate-600 dark:text-slate-400">Your conversations appear here.</p>}
      <ul className="flex flex-col gap-1 overflow-y-auto">
        {query.data?.conversations.map((conversation) => (
          <ConversationItem
            key={conversation.id}
            conversation={conversation}
            active={conversation.id === activeId}
            onSelect={() => onSelect(conversation.id)}
            onDeleted={() => conversation.id === activeId && onNew()}
          />
        ))}
      </ul>
    </nav>
  );
}

function ConversationItem({
  conversation,
  active,
  onSelect,
  onDeleted,
}: {
  conversation: ConversationJson;
  active: boolean;
  onSelect: () => void;
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: conversationsKey });
  const remove = useMutation({
    mutationFn: () => api.deleteConversation(conversation.id),
    onSuccess: () => {
      onDeleted();
      return refresh();
    },
  });

  if (editing) {
    return (
      <li>
        <InlineRename
          label="Conversation title"
          initial={conversation.title}
          maxLength={200}
          save={async (title) => {
            await api.updateConversation(conversation.id, { title });
            await refresh();
          }}
          onDone={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li className={`group flex items-center rounded-lg text-sm ${active ? "bg-indigo-50 dark:bg-indigo-950" : "hover:bg-white dark:hover:bg-slate-900"}`}>
      <button
        type="button"
        onClick={onSelect}
        aria-current={active ? "page" : undefined}
        className="min-w-0 flex-1 px-3 py-2 text-left"
        title={conversation.title}
      >
        {/* Clamped inside the padding, or a third line shows through it cut in half. */}
        <span className="line-clamp-2 break-words">{conversation.title}</span>
      </button>
      {/* Icons, shown on hover or focus: words took half the sidebar and cut titles at 15 characters. */}
      <div className="flex shrink-0 pr-1 focus-within:opacity-100 group-hover:opacity-100 md:opacity-0">
        <button
          type="button"
          aria-label={`Rename ${conversation.title}`}
          title="Rename"
          onClick={() => setEditing(true)}
          className="rounded p-1.5 text-slate-600 hover:bg-slate-200 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
        >
          <PencilIcon />
        </button>
        <ConfirmDelete what={`“${conversation.title}”`} consequence="Its questions and answers are deleted with it." onConfirm={() => remove.mutate()}>
          <button
            type="button"
            aria-label={`Delete ${conversation.title}`}
            title="Delete"
            className="rounded p-1.5 text-slate-600 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950 dark:hover:text-red-400"
          >
            <TrashIcon />
          </button>
        </ConfirmDelete>
      </div>
    </li>
  );
}
