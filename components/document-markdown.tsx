"use client";

import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * A document's extracted text, which the server writes as Markdown (headings,
 * lists, tables, code blocks), rendered as elements. Raw HTML in it is
 * dropped, never parsed: a document can show its words, never run markup.
 */
export function DocumentMarkdown({ content }: { content: string }) {
  return (
    <div className="answer-markdown document-markdown break-words text-sm leading-relaxed">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{ a: ({ children }) => <span className="underline decoration-dotted">{children}</span> }}
      >
        {content}
      </ReactMarkdown>
    </div>
  );
}
