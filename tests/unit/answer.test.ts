import { describe, expect, it } from "vitest";
import { citedNumbers, createCitationFilter, keepValidCitations } from "@/lib/answer/citations";
import { answerTypesOf } from "@/lib/answer/extractive";
import { quotable, unitsOf } from "@/lib/answer/passages";
import { buildMessages, recentTurns } from "@/lib/answer/prompt";
import { isFollowUp } from "@/lib/answer/rewrite";
import { formatSource, packSources } from "@/lib/answer/sources";
import { countChatTokens } from "@/lib/answer/tokens";
import type { SearchResult } from "@/lib/retrieve/search";

const valid = new Set([1, 2, 3]);

describe("citations", () => {
  it("keeps valid numbers, drops invented ones with their space, and normalises [Source n]", () => {
    expect(keepValidCitations("Pumps move water [1]. Cats fly [7]. Both [2, 9]. See [Source 3].", valid)).toBe(
      "Pumps move water [1]. Cats fly. Both [2]. See [3].",
    );
    expect(keepValidCitations("A [link](x), [a note] and [1a] stay as they are.", valid)).toBe(
      "A [link](x), [a note] and [1a] stay as they are.",
    );
    expect(citedNumbers("a [2] b [7] c [1][2]", valid)).toEqual([2, 1]);
  });

  it("judges a citation split across streamed deltas as a whole", () => {
    const deltas = ["It is blue [", "1", "] and", " red [", "7", "]", ". Also [2", ",3] ok [", "1"];
    const filter = createCitationFilter(valid);
    const sent = deltas.map((d) => filter.push(d));
    // Nothing of the invented [7] is ever sent, not even its opening bracket.
    expect(sent.join("")).not.toContain("7");
    expect(sent.join("") + filter.flush()).toBe("It is blue [1] and red. Also [2][3] ok [1");
  });

  it("leaves code alone: brackets in inline code and fenced blocks are not citations", () => {
    const answer = "Index it as `arr[1]` [1].\n\n```python\nx = a[7]\ny = b[2]\n```\n\nThen [7] is gone, and [Source 2] stays.";
    expect(keepValidCitations(answer, valid)).toBe(
      "Index it as `arr[1]` [1].\n\n```python\nx = a[7]\ny = b[2]\n```\n\nThen is gone, and [2] stays.",
    );
    expect(citedNumbers(answer, valid)).toEqual([1, 2]);
    expect(citedNumbers("`[3]` and\n\n    indented [3]\n", valid)).toEqual([]);
  });

  it("streams code untouched, even when a fence or a code span arrives in pieces", () => {
    const deltas = ["Use `a", "[7]` or", " [7", "].\n``", "`js\nconst x = a[", "7];\n", "``", "`\nDone [1", "]."];
    const filter = createCitationFilter(valid);
    const sent = deltas.map((d) => filter.push(d));
    expect(sent.join("") + filter.flush()).toBe("Use `a[7]` or.\n```js\nconst x = a[7];\n```\nDone [1].");
    // The code's [7] went out with the code, without waiting for the fence to close.
    expect(sent.slice(0, 5).join("")).toContain("const x = a[");
  });

  it("does not hold back text behind a bracket that cannot be a citation", () => {
    const filter = createCitationFilter(valid);
    expect(filter.push("matrix[")).toBe("matrix");
    expect(filter.push("i] then")).toBe("[i] then");
  });
});

function result(chunkId: number, content: string, score: number): SearchResult {
  return {
    hit: {
      chunkId,
      documentId: chunkId,
      documentTitle: `Doc ${chunkId}`,
      documentFormat: "text",
      ordinal: 0,
      content,
      location: {},
      code: [],
      score,
      absoluteScore: score,
    },
    score,
    mode: "hybrid",
    components: {},
  };
}

describe("context packing", () => {
  const results = Array.from({ length: 30 }, (_, i) =>
    result(i + 1, `Passage ${i + 1}: ${"pumps move water through pipes ".repeat(5 + (i % 7) * 10)}`, 1 - i / 100),
  );

  it("never exceeds the budget, keeps the best first, and counts what it left out", () => {
    for (const budget of [0, 50, 300, 1000, 5000]) {
      const { sources, omitted } = packSources(results, budget, countChatTokens);
      const used = sources.reduce((sum, s) => sum + countChatTokens(formatSource(s)) + 2, 0);
      expect(used).toBeLessThanOrEqual(budget);
      expect(sources.length + omitted).toBe(results.length);
      expect(sources.map((s) => s.number)).toEqual(sources.map((_, i) => i + 1));
      const scores = sources.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(packSources(results, 0, countChatTokens)).toMatchObject({ sources: [], omitted: 30 });
    expect(packSources(results, 1_000_000, countChatTokens).omitted).toBe(0);
  });

  it("drops a passage that repeats one already kept", () => {
    const { sources, omitted } = packSources(
      [result(1, "The pump runs at 40 litres a minute.", 0.9), result(2, "the pump runs at 40  litres a minute.", 0.8), result(3, "Other.", 0.5)],
      1000,
      countChatTokens,
    );
    expect(sources.map((s) => s.chunkId)).toEqual([1, 3]);
    expect(omitted).toBe(0);
  });
});

describe("follow-up questions", () => {
  const history = [
    { role: "user" as const, content: "What does the Zephyr-9 pump do?" },
    { role: "assistant" as const, content: "It moves water [1]." },
  ];

  it("are recognised by reference or brevity, and only with a conversation before them", () => {
    // The counts are contentWordCount's (PostgreSQL's English lexemes; tests/integration/answer.test.ts).
    expect(isFollowUp("How much does it cost?", history, 2)).toBe(true);
    expect(isFollowUp("And the warranty?", history, 1)).toBe(true);
    expect(isFollowUp("How much does the Aurora heater cost in winter?", history, 5)).toBe(false);
    expect(isFollowUp("Pricing in winter?", history, 2)).toBe(true);
    expect(isFollowUp("How much does it cost?", [], 2)).toBe(false);
    expect(isFollowUp("What about the standby servers on the other site?", history, 4)).toBe(true);
    expect(isFollowUp("And does VACUUM FULL lock the whole table while it runs?", history, 6)).toBe(true);
  });
});

describe("the prompt", () => {
  it("keeps the latest turns that fit the history budget, then the question", () => {
    const history = Array.from({ length: 20 }, (_, i) => ({
      role: (i % 2 ? "assistant" : "user") as "user" | "assistant",
      content: `turn ${i} ${"word ".repeat(50)}`,
    }));
    const messages = buildMessages([], recentTurns(history, 300, countChatTokens).turns, "final question");
    expect(messages[0]!.role).toBe("system");
    expect(messages.at(-1)).toEqual({ role: "user", content: "final question" });
    const kept = messages.slice(1, -1);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
    expect(kept.at(-1)!.content).toContain("turn 19");
    expect(kept.reduce((sum, m) => sum + countChatTokens(m.content) + 4, 0)).toBeLessThanOrEqual(300);
  });
});

describe("the kind of answer a question asks for", () => {
  const kinds = (question: string) => answerTypesOf(question).map((type) => type.kind);

  it("is an instruction for how-to questions and a quantity for how-many and when questions", () => {
    expect(kinds("How do I reclaim disk space after deleting rows?")).toEqual(["instruction"]);
    expect(kinds("How long does a checkpoint take by default?")).toEqual(["quantity"]);
    expect(kinds("When does autovacuum run?")).toEqual(["quantity"]);
  });

  it("is nothing in particular when 'when' only joins a clause", () => {
    expect(kinds("Is there a way for a replica to lag less than when whole log files are shipped to it?")).toEqual([]);
  });
});

describe("quotable units", () => {
  const source = (content: string) => ({ ...result(1, content, 0.5).hit, number: 1, score: 0.5 });

  it("reads a short line that names what follows as its label, not as something to quote", () => {
    const units = unitsOf([source("checkpoint_timeout (integer)\n\nThe default is five minutes.")]);
    expect(units.map((u) => [u.text, quotable(u), u.label])).toEqual([
      ["checkpoint_timeout (integer)", false, "checkpoint_timeout (integer)"],
      ["The default is five minutes.", true, "checkpoint_timeout (integer)"],
    ]);
  });

  it("quotes a short line with nothing after it: it is what the document says", () => {
    const [unit] = unitsOf([source("Postgres with pgvector is excellent for RAG systems")]);
    expect(unit).toMatchObject({ kind: "sentence", label: undefined });
    expect(quotable(unit!)).toBe(true);
  });
});
