import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import { queryRows } from "@/lib/db/client";
import { engines, freshDatabase } from "../support/databases";

describe.each(engines)("transactions on %s", (engine) => {
  it("give their connection back when BEGIN itself fails, so failures never use the pool up", async () => {
    const database = await freshDatabase(engine);
    try {
      // BEGIN fails as it does on a connection the server has just closed; a bad setting makes it fail every time.
      const failingBegin = { isolationLevel: "no such level" } as unknown as PgTransactionConfig;
      // More than the pool holds (10): each leaked connection used to stay checked out for good.
      for (let i = 0; i < 12; i++) {
        await expect(database.db.transaction(async () => "never runs", failingBegin)).rejects.toThrow(/no such level/);
      }
      const answer = await database.db.transaction(async (tx) => queryRows<{ one: number }>(tx, sql`select 1 as one`));
      expect(answer).toEqual([{ one: 1 }]);
      // A failed transaction still rolls back, and its connection is still reused.
      await expect(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`create table rolled_back (id int)`);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(await queryRows(database.db, sql`select to_regclass('rolled_back') as name`)).toEqual([{ name: null }]);
    } finally {
      // With a connection leaked, this waited forever.
      await database.close();
    }
  });
});
