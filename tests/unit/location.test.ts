import { describe, expect, it } from "vitest";
import { describeLocation } from "@/lib/documents/location";

describe("describeLocation", () => {
  it("names pages, rows and the heading path", () => {
    expect(describeLocation({ pages: [2, 4], headings: ["Setup", "Disks"] })).toBe("pp. 2–4 · Setup › Disks");
    expect(describeLocation({ rows: [10, 10] })).toBe("row 10");
  });

  it("leaves out a first heading that repeats the document's title shown beside it", () => {
    const location = { headings: ["25.1. Routine Vacuuming", "25.1.2. Recovering Disk Space"] };
    expect(describeLocation(location, "25.1. Routine vacuuming")).toBe("25.1.2. Recovering Disk Space");
    expect(describeLocation(location, "Chapter 25")).toBe("25.1. Routine Vacuuming › 25.1.2. Recovering Disk Space");
    expect(describeLocation({ headings: ["Guide"] }, "Guide")).toBe("");
  });
});
