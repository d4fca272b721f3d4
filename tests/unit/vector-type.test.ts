import { getTableConfig, pgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { vector } from "@/lib/db/column-types";

const table = pgTable("t", { any: vector(), sized: vector({ dimensions: 3 }) });
const [anyColumn, sizedColumn] = getTableConfig(table).columns;

describe("the pgvector custom column type", () => {
  it("declares an untyped or a sized vector column", () => {
    expect(anyColumn!.getSQLType()).toBe("vector");
    expect(sizedColumn!.getSQLType()).toBe("vector(3)");
  });

  it("serializes with pgvector's text format and reads it back", () => {
    const value = [0.5, -1.25, 3e-7];
    const wire = sizedColumn!.mapToDriverValue(value);
    expect(wire).toBe("[0.5,-1.25,3e-7]");
    expect(sizedColumn!.mapFromDriverValue(wire)).toEqual(value);
  });
});
