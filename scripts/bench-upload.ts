/**
 * What a person waits for after dropping files: six real documents (four
 * manual pages, Bash's reference manual as a PDF and a 1 KB CSV, from
 * Debian's packages) dropped on the library page of a fresh production
 * server, timed from the drop to each file being ready and to all six.
 *
 *   npm run build && npm run bench:upload [-- --app <folder with another build>] [--cache .data/cache]
 *
 * --app runs the server from another checkout's build (a git worktree of an
 * earlier commit), to measure before and after a change with the same files.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { runAppServer } from "../lib/bench/app-server";
import { debianPackage } from "../lib/evaluate/debian";

const { values } = parseArgs({ options: { app: { type: "string" }, cache: { type: "string", default: ".data/cache" } } });

const FILES = [
  ["python3.11-doc", "usr/share/doc/python3.11/html/library/stdtypes.html"],
  ["python3.11-doc", "usr/share/doc/python3.11/html/reference/datamodel.html"],
  ["postgresql-doc-15", "usr/share/doc/postgresql-doc-15/html/sql-createtable.html"],
  ["git-doc", "usr/share/doc/git-doc/git-config.html"],
  ["bash-doc", "usr/share/doc/bash/bashref.pdf"],
  ["distro-info-data", "usr/share/distro-info/debian.csv"],
] as const;

const files = FILES.map(([name, path]) => {
  const bytes = readFileSync(join(debianPackage(name, resolve(values.cache!)).root, path));
  return { name: basename(path), base64: bytes.toString("base64"), size: bytes.byteLength };
});

const folder = mkdtempSync(join(tmpdir(), "pgrag-upload-"));
const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: join(folder, "pglite") };
delete env.DATABASE_URL;
delete env.API_KEY;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

try {
  const ran = await runAppServer(
    env,
    async ({ baseURL }) => {
      const page = await browser.newPage();
      await page.goto(`${baseURL}/documents`);
      const transfer = await page.evaluateHandle((specs) => {
        const data = new DataTransfer();
        for (const spec of specs) data.items.add(new File([Uint8Array.from(atob(spec.base64), (c) => c.charCodeAt(0))], spec.name));
        return data;
      }, files);
      const dropped = performance.now();
      await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: transfer });

      const readyAt = new Map<string, number>();
      while (readyAt.size < files.length) {
        if (performance.now() - dropped > 600_000) throw new Error("the files were not ready within ten minutes");
        const listed = (await (await fetch(`${baseURL}/api/documents?limit=50`)).json()) as { documents: { filename: string | null; status: string; error: string | null }[] };
        for (const document of listed.documents) {
          if (document.status === "failed") throw new Error(`${document.filename} failed: ${document.error}`);
          if (document.status === "ready" && document.filename && !readyAt.has(document.filename)) readyAt.set(document.filename, performance.now() - dropped);
        }
        await new Promise((done) => setTimeout(done, 100));
      }
      for (const file of files) console.log(`${file.name.padEnd(22)} ${`${Math.round(file.size / 1024)} KB`.padStart(8)}  ready ${(readyAt.get(file.name)! / 1000).toFixed(1)} s after the drop`);
      console.log(`all ${files.length} ready: ${(Math.max(...readyAt.values()) / 1000).toFixed(1)} s after the drop`);
    },
    values.app,
  );
  if (!ran) {
    console.log("bench:upload needs a production build: run npm run build first");
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
}
