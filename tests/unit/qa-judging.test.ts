import { describe, expect, it } from "vitest";
import { isWholePassage, quotedPassages, quotesSentence, referenceText } from "@/lib/evaluate/qa";

const page = `<html><head><title>25.1. Routine Vacuuming</title><style>p{}</style></head><body>
<div class="navheader"><a href="a.html">Prev</a> <a href="b.html">Next</a></div>
<p>In PostgreSQL, an <code>UPDATE</code> or <code>DELETE</code> of a row does not
immediately remove the old version of the row. This approach is necessary.</p>
<ul><li>To update data statistics</li><li>To protect against wraparound</li></ul>
<pre>VACUUM FULL;
VACUUM (VERBOSE) onek;</pre></body></html>`;

describe("referenceText", () => {
  it("renders one line per block and per <pre> line, with HTML's whitespace collapsed", () => {
    expect(referenceText(page)).toBe(
      [
        "Prev Next",
        "In PostgreSQL, an UPDATE or DELETE of a row does not immediately remove the old version of the row. This approach is necessary.",
        "To update data statistics",
        "To protect against wraparound",
        "VACUUM FULL;",
        "VACUUM (VERBOSE) onek;",
      ].join("\n"),
    );
  });
});

describe("isWholePassage", () => {
  const reference = referenceText(page);
  it("accepts whole sentences, list items and code lines", () => {
    expect(isWholePassage("This approach is necessary.", reference)).toBe(true);
    expect(isWholePassage("In PostgreSQL, an UPDATE or DELETE of a row does not immediately remove the old version of the row.", reference)).toBe(true);
    expect(isWholePassage("To protect against wraparound", reference)).toBe(true);
    expect(isWholePassage("VACUUM FULL; VACUUM (VERBOSE) onek;", reference)).toBe(true);
  });
  it("refuses a passage cut where the source file broke its line, or words the page does not hold", () => {
    expect(isWholePassage("In PostgreSQL, an UPDATE or DELETE of a row does not", reference)).toBe(false);
    expect(isWholePassage("immediately remove the old version of the row.", reference)).toBe(false);
    expect(isWholePassage("VACUUM FULL reclaims space.", reference)).toBe(false);
  });
});

describe("quotedPassages and quotesSentence", () => {
  it("cuts an answer at its citations and lines, without quote marks or the lines saying where a quote comes from", () => {
    expect(quotedPassages("According to **Routine Vacuuming** [1]:\n\n> This approach is necessary.\n\n> - To update data statistics [2]")).toEqual([
      "This approach is necessary.",
      "To update data statistics",
    ]);
  });
  it("finds a sentence in an answer whatever the markup and spacing", () => {
    expect(quotesSentence("**VACUUM FULL** requires an  ACCESS EXCLUSIVE lock [1]", "VACUUM FULL requires an ACCESS EXCLUSIVE lock")).toBe(true);
    expect(quotesSentence("VACUUM FULL requires a lock [1]", "VACUUM FULL requires an ACCESS EXCLUSIVE lock")).toBe(false);
  });
});
