/**
 * The last line of `npm test`: without TEST_DATABASE_URL half of the suite did
 * not run, and a passing run must not look like a whole one.
 */
if (!process.env.TEST_DATABASE_URL) {
  const rule = "=".repeat(78);
  console.log(`
${rule}
  npm test passed on PGlite only. Not run, for want of TEST_DATABASE_URL:
  - the PostgreSQL half of every database suite (vitest: "on postgres");
  - the end-to-end project "postgres", which holds the only browser tests
    that stream answers from a language model (the OpenAI-compatible
    stand-in): chat with Stop, first run, real documents.
  To run everything: set TEST_DATABASE_URL to a PostgreSQL server with
  pgvector (postgres://user:password@host:5432/database) and run npm test
  again, or run \`bash .ci/run\` on a clean Debian machine, as CI does.
${rule}`);
}
