/**
 * The sample documents that ship with pgrag (samples/, with where each came
 * from), for a first run: one click fills an empty library with real manual
 * pages, and the chat suggests questions they answer.
 */
export const SAMPLE_DOCUMENTS = [
  {
    file: "postgresql-routine-vacuuming.html",
    about: "PostgreSQL 15 manual: Routine Vacuuming",
    questions: ["How do I reclaim disk space after deleting a lot of rows?", "Why does PostgreSQL need to freeze old transaction IDs?"],
  },
  {
    file: "python-tutorial-errors.html",
    about: "Python 3.11 tutorial: Errors and Exceptions",
    questions: ["How do I run clean-up code whether or not an exception happened?"],
  },
  {
    file: "sqlite-wal.html",
    about: "SQLite documentation: Write-Ahead Logging",
    questions: ["What are the disadvantages of WAL mode in SQLite?"],
  },
] as const;

export const SAMPLE_QUESTIONS = SAMPLE_DOCUMENTS.flatMap((sample) => sample.questions);

/** How sample documents are marked, so the app can tell them from a person's own. */
export const SAMPLE_SOURCE = "pgrag sample";
