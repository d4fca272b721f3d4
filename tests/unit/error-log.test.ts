import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { describeForLog } from "../../lib/errors";

describe("describeForLog", () => {
  it("names a failed query's statement and SQLSTATE, never its parameters or PostgreSQL's message quoting them", () => {
    const secret = "my private search words ".repeat(1000);
    const cause = Object.assign(new Error(`invalid input syntax for type integer: "${secret}"`), {
      name: "error",
      code: "22P02",
      routine: "pg_strtoint32_safe",
    });
    const error = new DrizzleQueryError("select id from documents where title = 'Quarterly report' and id = $1", [secret, [0.25, -0.5]], cause);
    const line = describeForLog(error);
    expect(line).not.toContain("private");
    expect(line).not.toContain("0.25");
    expect(line).not.toContain("Quarterly");
    expect(line).toContain("code 22P02");
    expect(line).toContain(`statement "select id from documents where title = '…' and id = $1"`);
    expect(line.length).toBeLessThan(2000);
  });

  it("keeps what an operator needs for a refused connection", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", syscall: "connect", address: "127.0.0.1", port: 5432 });
    expect(describeForLog(error)).toMatch(/^Error code ECONNREFUSED syscall connect address 127\.0\.0\.1 port 5432\n\s+at /);
  });

  it("does not repeat a bug's message, which may hold what was sent", () => {
    const line = describeForLog(new TypeError(`Cannot read properties of undefined (reading 'secret-title')`));
    expect(line).toMatch(/^TypeError\n\s+at /);
    expect(line).not.toContain("secret-title");
  });
});
