import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { docxFixture, htmlFixture } from "../support/fixtures";

const run = promisify(execFile);

async function ingest(pgliteDir: string, ...paths: string[]) {
  const result = await run("npx", ["tsx", "--conditions=react-server", "scripts/ingest.ts", ...paths], {
    env: { ...process.env, PGLITE_DIR: pgliteDir, DATABASE_URL: "", EMBEDDING_THREADS: "2" },
  }).catch((error: { stdout: string; stderr: string; code: number }) => error);
  return { stdout: result.stdout, stderr: result.stderr, code: "code" in result ? result.code : 0 };
}

describe("npm run ingest", () => {
  it("imports a folder through the pipeline and sums up imported, duplicates and failures", async () => {
    const root = mkdtempSync(join(tmpdir(), "pgrag-import-"));
    const folder = join(root, "docs");
    mkdirSync(join(folder, "nested"), { recursive: true });
    writeFileSync(join(folder, "guide.docx"), await docxFixture());
    writeFileSync(join(folder, "nested", "tea.html"), htmlFixture);
    writeFileSync(join(folder, "nested", "binary.txt"), new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    // What sits beside a manual's pages: its stylesheet and its images.
    writeFileSync(join(folder, "nested", "stylesheet.css"), "body { color: black }");
    writeFileSync(join(folder, "nested", "diagram.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const database = join(root, "pglite");

    const first = await ingest(database, folder);
    expect(first.stdout).toContain("Imported: 2\nAlready in the library: 0\nSkipped: 2 (types pgrag does not read: 1 .css, 1 .png)\nFailed: 1\n");
    expect(first.stdout).toMatch(/binary\.txt: binary\.txt looks like an executable/);
    expect(first.stdout).toContain("The library now holds 2 ready documents.");
    expect(first.code).toBe(1);
    // No terminal: progress comes as dated lines, the last one complete.
    expect(first.stderr).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[#+\] 2\/2 files · \d+\/\d+ chunks embedded$/m);

    const again = await ingest(database, join(folder, "guide.docx"), join(folder, "nested", "stylesheet.css"));
    expect(again.stdout).toContain("Imported: 0\nAlready in the library: 1\nSkipped: 1 (types pgrag does not read: 1 .css)\nFailed: 0\n");
    expect(again.code).toBe(0);
  });
});
