import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { migrationsDir } from "../support/databases";

describe("the embedded database's single-process lock", () => {
  it("refuses a data directory another live process holds, and takes over a stale lock", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pgrag-lock-")), "pglite");
    const other = spawn("sleep", ["30"]);
    try {
      writeFileSync(`${dir}.lock`, String(other.pid));
      const refused = await openDatabase({ pgliteDir: dir, migrationsDir }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(new RegExp(`already open in process ${other.pid}\\. .*DATABASE_URL`));
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once("exit", resolve));

    const handle = await openDatabase({ pgliteDir: dir, migrationsDir });
    expect(handle.engine).toBe("pglite");
    await handle.close();
  });
});
