import { describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";

describe("ProviderError", () => {
  it("recognizes an error from another bundled copy of its class, and nothing else", () => {
    // What the production server's start-up bundle throws, seen from a route's bundle.
    class BundledCopy extends Error {
      override name = "ProviderError";
      readonly code = "embedder_unavailable";
    }
    expect(new BundledCopy("The embedding server cannot be reached.")).toBeInstanceOf(ProviderError);
    expect(new ProviderError("chat_unavailable", "down")).toBeInstanceOf(ProviderError);
    expect(new Error("The embedding server cannot be reached.")).not.toBeInstanceOf(ProviderError);
    expect(Object.assign(new Error("x"), { name: "ProviderError" })).not.toBeInstanceOf(ProviderError);
  });
});
