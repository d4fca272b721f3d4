import { describe, expect, it } from "vitest";
import { sameTitle, scoreExtraction } from "@/lib/evaluate/extraction";

describe("scoreExtraction", () => {
  const reference = "Routine Vacuuming\n\nVACUUM FULL can reclaim more disk space but runs much more slowly.";
  const letters = "RoutineVacuumingVACUUMFULLcanreclaimmorediskspacebutrunsmuchmoreslowly".length;

  it("finds nothing wrong with the same words, however they are spaced or marked up", () => {
    expect(scoreExtraction(reference, "# Routine  Vacuuming\n\n**VACUUM FULL** can reclaim more disk space but runs much more slowly.")).toMatchObject({
      referenceChars: letters,
      extractedChars: letters,
      boilerplateChars: 0,
      lostChars: 0,
      brokenLines: 0,
    });
  });

  it("counts navigation as boilerplate and a missing sentence end as lost content", () => {
    const score = scoreExtraction(reference, "Prev Up Home Next\nRoutine Vacuuming\n\nVACUUM FULL can reclaim more disk space");
    expect(score.boilerplateChars).toBe("PrevUpHomeNext".length);
    expect(score.lostChars).toBe("butrunsmuchmoreslowly".length);
  });

  it("counts every line break inside a reference line, and none between reference lines", () => {
    const score = scoreExtraction(reference, "Routine Vacuuming\nVACUUM FULL can reclaim more\ndisk space but runs\nmuch more slowly.");
    expect(score.brokenLines).toBe(2);
  });

  it("counts text read out of order as both lost and kept", () => {
    const score = scoreExtraction("left column words. right column words.", "right column words. left column words.");
    expect(score.lostChars).toBeGreaterThan(0);
    expect(score.boilerplateChars).toBe(score.lostChars);
  });
});

describe("sameTitle", () => {
  it("ignores case, spacing and punctuation but not words", () => {
    expect(sameTitle("25.1. Routine Vacuuming", "25.1.  routine vacuuming")).toBe(true);
    expect(sameTitle("25.1. Routine Vacuuming", "routine vacuuming")).toBe(false);
    expect(sameTitle("VACUUM", undefined)).toBe(false);
  });
});
