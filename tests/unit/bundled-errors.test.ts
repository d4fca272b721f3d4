import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { InputError } from "@/lib/errors";

describe("errors made by another bundled copy of their module", () => {
  it("are still an InputError, keeping their code and status, and nothing else is", () => {
    // What the start-up bundle's document reader rejects with, seen from a route's bundle.
    class BundledCopy extends Error {
      override name = "InputError";
      readonly code = "too_slow_to_read";
      readonly status = 422;
    }
    expect(new BundledCopy("report.pdf took longer than 60 s to read.")).toBeInstanceOf(InputError);
    expect(new InputError("empty_content", "empty", 422)).toBeInstanceOf(InputError);
    expect(Object.assign(new Error("x"), { name: "InputError" })).not.toBeInstanceOf(InputError);
    expect(Object.assign(new Error("x"), { code: "invalid_json", status: 400 })).not.toBeInstanceOf(InputError);
    expect({ name: "InputError", code: "invalid_json", status: 400 }).not.toBeInstanceOf(InputError);
  });

  it("are still a ConfigError", () => {
    expect(Object.assign(new Error("EMBEDDING_MODEL_PATH: no model.onnx"), { name: "ConfigError" })).toBeInstanceOf(ConfigError);
    expect(new ConfigError("bad")).toBeInstanceOf(ConfigError);
    expect(new Error("bad")).not.toBeInstanceOf(ConfigError);
  });
});
