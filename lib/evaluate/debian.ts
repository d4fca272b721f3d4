import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Real documents for the evaluations come from Debian's packages (manuals in
 * HTML, PDFs), fetched without installing anything: `apt-get download` and
 * `dpkg -x` into a cache folder, once.
 */
export interface DebianPackage {
  name: string;
  version: string;
  /** Where the package's files were unpacked: its paths start below this folder. */
  root: string;
}

export function debianPackage(name: string, cacheDirectory: string): DebianPackage {
  const root = join(cacheDirectory, "debian", name);
  const versionFile = join(root, ".version");
  if (existsSync(versionFile)) return { name, version: readFileSync(versionFile, "utf8").trim(), root };

  mkdirSync(cacheDirectory, { recursive: true });
  const work = mkdtempSync(join(cacheDirectory, `.${name}-`));
  try {
    try {
      execFileSync("apt-get", ["download", name], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      const detail = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(
        `Could not download the Debian package ${name} with apt-get${detail ? ` (${detail.split("\n").at(-1)})` : ""}. ` +
          "The evaluations need a Debian machine with apt; run `apt-get update` first if the package lists are missing.",
      );
    }
    const deb = readdirSync(work).find((file) => file.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download ${name} produced no .deb file.`);
    const version = execFileSync("dpkg-deb", ["-f", join(work, deb), "Version"], { encoding: "utf8" }).trim();
    const unpacked = join(work, "files");
    execFileSync("dpkg", ["-x", join(work, deb), unpacked]);
    writeFileSync(join(unpacked, ".version"), `${version}\n`);
    mkdirSync(join(cacheDirectory, "debian"), { recursive: true });
    rmSync(root, { recursive: true, force: true });
    renameSync(unpacked, root);
    return { name, version, root };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
