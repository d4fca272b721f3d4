import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configVariables, parseConfig } from "@/lib/config";

/**
 * No Docker engine runs on our machines, so docker-compose.yml and the
 * Dockerfile are checked for what would break them: a variable pgrag does not
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
const dockerfile = readFileSync("Dockerfile", "utf8");

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
    const exposed = /^EXPOSE (\d+)$/m.exec(dockerfile)![1];
    expect(app!.ports).toContain(`${exposed}:${exposed}`);
    expect(dockerfile).toMatch(new RegExp(`PORT=${exposed}\\b`));
  });
});

describe("Dockerfile", () => {
  it("builds the standalone server next.config.ts produces and ships what it reads at run time", () => {
    expect(readFileSync("next.config.ts", "utf8")).toContain('process.env.NEXT_OUTPUT === "standalone"');
    expect(dockerfile).toMatch(/ENV NEXT_OUTPUT=standalone/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/\.next\/standalone \.\//);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/\.next\/static \.\/\.next\/static/);
    // Migrations are applied at start from MIGRATIONS_DIR, relative to the server's folder.
    expect(dockerfile).toContain(`COPY --from=build /app/drizzle ./${parseConfig({}).MIGRATIONS_DIR}`);
    expect(dockerfile).toMatch(/CMD \["node", "server\.js"\]/);
  });

  it("installs with the project's .npmrc, which keeps ONNX Runtime's installer from fetching GPU add-ons", () => {
    expect(readFileSync(".npmrc", "utf8")).toMatch(/^onnxruntime-node-install=skip$/m);
    const copy = dockerfile.indexOf("COPY package.json package-lock.json .npmrc ./");
    expect(copy).toBeGreaterThan(-1);
    expect(copy).toBeLessThan(dockerfile.indexOf("RUN npm install"));
  });

  it("uses a Node.js release the project supports, in both stages", () => {
    const required = Number(/(\d+)/.exec(JSON.parse(readFileSync("package.json", "utf8")).engines.node)![1]);
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(bases).toHaveLength(2);
    for (const major of bases) expect(major).toBeGreaterThanOrEqual(required);
  });

  it("keeps local data, dependencies and secrets out of the build context", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of ["node_modules", ".next", ".data", ".env", ".git"]) expect(ignored).toContain(entry);
  });
});
