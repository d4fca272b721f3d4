import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DockerfileParser, type Cmd, type Copy, type Env, type From, type Instruction } from "dockerfile-ast";
import { parse } from "yaml";
import { configVariables, parseConfig } from "@/lib/config";

/**
 * No Docker engine runs on our machines, so docker-compose.yml and the
 * Dockerfile are read as data (YAML, and Microsoft's Dockerfile parser) and
 * checked for what would break them: a variable pgrag does not
 * read, a database URL that does not match the database service, defaults the
 * app would refuse, and an image that does not ship what the server needs.
 */

interface Compose {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      environment?: Record<string, string>;
      ports?: string[];
      volumes?: string[];
      depends_on?: Record<string, { condition: string }>;
      healthcheck?: { test: string[] };
    }
  >;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync("docker-compose.yml", "utf8")) as Compose;
const dockerfile = DockerfileParser.parse(readFileSync("Dockerfile", "utf8"));

/** The Dockerfile's stages, each its instructions from its FROM on. */
const stages = dockerfile.getInstructions().reduce<Instruction[][]>((all, instruction) => {
  if (instruction.getKeyword() === "FROM") all.push([]);
  all.at(-1)?.push(instruction);
  return all;
}, []);
const environment = (stage: Instruction[]) =>
  Object.fromEntries(stage.filter((i): i is Env => i.getKeyword() === "ENV").flatMap((env) => env.getProperties().map((p) => [p.getName(), p.getValue()])));
const runs = (stage: Instruction[]) => stage.filter((i) => i.getKeyword() === "RUN").map((run) => run.getArguments().map((a) => a.getValue()));
const copies = (stage: Instruction[]) =>
  stage
    .filter((i): i is Copy => i.getKeyword() === "COPY")
    .map((copy) => ({ from: copy.getFromFlag()?.getValue(), paths: copy.getArguments().map((a) => a.getValue()) }));
const command = (stage: Instruction[]) =>
  (stage.find((i) => i.getKeyword() === "CMD") as Cmd).getJSONStrings().map((s) => JSON.parse(s.getValue()) as string);

/** What `${NAME:-default}` becomes when the variable is not set on the host. */
const withDefaults = (environment: Record<string, string>) =>
  Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{\w+:-([^}]*)\}/g, "$1")]));

describe("docker-compose.yml", () => {
  const { db, app } = compose.services;

  it("runs PostgreSQL with pgvector, kept in a volume and health-checked", () => {
    expect(db!.image).toMatch(/^pgvector\/pgvector:pg1[5-9]$/);
    expect(db!.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("pgdata");
    expect(db!.healthcheck!.test.join(" ")).toContain("pg_isready");
  });

  it("starts the app once the database is healthy, reaching it by service name with its credentials", () => {
    expect(app!.build).toBe(".");
    expect(app!.depends_on!.db!.condition).toBe("service_healthy");
    const url = new URL(withDefaults(app!.environment!).DATABASE_URL!);
    const database = db!.environment!;
    expect([url.hostname, url.port, url.username, url.password, url.pathname.slice(1)]).toEqual([
      "db",
      "5432",
      database.POSTGRES_USER,
      database.POSTGRES_PASSWORD,
      database.POSTGRES_DB,
    ]);
  });

  it("sets only variables pgrag reads, with defaults it accepts", () => {
    const environment = withDefaults(app!.environment!);
    expect(Object.keys(environment).filter((key) => !configVariables.includes(key))).toEqual([]);
    expect(() => parseConfig(environment)).not.toThrow();
  });

  it("publishes the port the image serves on", () => {
    const runtime = stages.at(-1)!;
    const exposed = runtime.find((i) => i.getKeyword() === "EXPOSE")!.getArgumentsContent();
    expect(app!.ports).toContain(`${exposed}:${exposed}`);
    expect(environment(runtime).PORT).toBe(exposed);
  });
});

describe("Dockerfile", () => {
  it("builds the standalone server next.config.ts produces and ships what it reads at run time", () => {
    expect(readFileSync("next.config.ts", "utf8")).toContain('process.env.NEXT_OUTPUT === "standalone"');
    const [build, runtime] = stages;
    expect(environment(build!).NEXT_OUTPUT).toBe("standalone");
    expect(runs(build!)).toContainEqual(["npm", "run", "build"]);
    const buildName = (build![0] as From).getBuildStage();
    // Migrations are applied at start from MIGRATIONS_DIR, relative to the server's folder; the samples are read from samples/.
    expect(copies(runtime!).filter((copy) => copy.from === buildName).map((copy) => copy.paths)).toEqual([
      ["/app/.next/standalone", "./"],
      ["/app/.next/static", "./.next/static"],
      ["/app/drizzle", `./${parseConfig({}).MIGRATIONS_DIR}`],
      ["/app/samples", "./samples"],
    ]);
    expect(command(runtime!)).toEqual(["node", "server.js"]);
  });

  it("installs with the project's .npmrc, which keeps ONNX Runtime's installer from fetching GPU add-ons", () => {
    expect(readFileSync(".npmrc", "utf8")).toMatch(/^onnxruntime-node-install=skip$/m);
    const copy = stages[0]!.findIndex((i) => i.getKeyword() === "COPY" && i.getArguments().some((a) => a.getValue() === ".npmrc"));
    const install = stages[0]!.findIndex((i) => i.getKeyword() === "RUN" && i.getArgumentsContent()?.startsWith("npm install"));
    expect(copy).toBeGreaterThan(-1);
    expect(install).toBeGreaterThan(copy);
  });

  it("uses a Node.js release the project supports, in both stages", () => {
    const required = Number(/(\d+)/.exec(JSON.parse(readFileSync("package.json", "utf8")).engines.node)![1]);
    const bases = dockerfile.getFROMs().map((from) => [from.getImageName(), Number(/^(\d+)/.exec(from.getImageTag() ?? "")?.[1])] as const);
    expect(bases).toHaveLength(2);
    for (const [image, major] of bases) {
      expect(image).toBe("node");
      expect(major).toBeGreaterThanOrEqual(required);
    }
  });

  it("keeps local data, dependencies and secrets out of the build context", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of ["node_modules", ".next", ".data", ".env", ".git"]) expect(ignored).toContain(entry);
  });
});
