import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AnswerMarkdown } from "@/components/chat/answer-markdown";
import type { SourceJson } from "@/lib/api/schemas";

const source = (number: number, removed = false): SourceJson => ({
  number,
  chunk_id: removed ? null : 40 + number,
  document_id: removed ? null : 7,
  document_title: `Manual ${number}`,
  content: removed ? null : "The pump moves 40 litres a minute.",
  code: [],
  location: removed ? null : { pages: [3, 3] },
  score: 0.8,
  cited: true,
  removed,
});

const render = (content: string, sources: SourceJson[]) => renderToStaticMarkup(createElement(AnswerMarkdown, { content, sources, onOpen: () => {} }));

describe("answer rendering", () => {
  it("never turns HTML from a model or a document into markup", () => {
    const html = render(
      'Fine <img src=x onerror="alert(1)"> and <script>alert(2)</script> [evil](javascript:alert(3)) **bold**',
      [],
    );
    expect(html).not.toMatch(/<img|<script|onerror|javascript:/i);
    expect(html).toContain("<strong>bold</strong>");
  });

  it("turns each [n] that names a source into a citation button naming it, and marks a removed source", () => {
    const html = render("Moves 40 litres [1]. Old claim [2]. Unknown [9].", [source(1), source(2, true)]);
    expect(html.match(/data-testid="citation"/g)).toHaveLength(2);
    expect(html).toContain('aria-label="Source 1: Manual 1"');
    expect(html).toContain('aria-label="Source 2: Manual 2 (removed)"');
    expect(html).toMatch(/<button[^>]*class="[^"]*line-through[^"]*"[^>]*>2<\/button>/);
    // A number no source has stays plain text, never a link.
    expect(html).toContain("Unknown [9].");
  });

  it("links citations on the Markdown tree: never inside code or an existing link", () => {
    const html = render("See `arr[1]` and [1](https://example.org) and [1].\n\n```\na[1] = 2\n```", [source(1)]);
    expect(html.match(/data-testid="citation"/g)).toHaveLength(1);
    expect(html).toContain("<code>arr[1]</code>");
    expect(html).toMatch(/<pre><code>a\[1\] = 2\n<\/code><\/pre>/);
    expect(html).toContain('href="https://example.org"');
  });
});
