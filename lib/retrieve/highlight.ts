import "server-only";
import { sql } from "drizzle-orm";
import { textArrayLiteral } from "../db/array-literal";
import { queryRows, type Database } from "../db/client";
import { TEXT_SEARCH_CONFIG } from "./keyword";

/** Start and end (exclusive) of a matched word, in UTF-16 code units of the chunk text. */
export type Highlight = [number, number];

// Control characters never survive ingestion (normalize.ts), so they can mark
// matches without colliding with the text.
const START = "\u0001";
const STOP = "\u0002";

/**
 * Where the query's words occur in each text, matched as keyword search
 * matches them (stemmed, stop words ignored): PostgreSQL's ts_headline marks
 * them, and the marks become ranges so the browser never renders markup.
 */
export async function highlightMatches(db: Database, query: string, texts: string[]): Promise<Highlight[][]> {
  if (texts.length === 0) return [];
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  const options = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;
  const rows = await queryRows<{ ordinal: number; marked: string | null }>(db, sql`
    with terms as (
      select string_agg(quote_literal(lexeme), ' | ')::tsquery as q
      from unnest(tsvector_to_array(to_tsvector(${config}, ${query}))) as lexeme
      where strpos(lexeme, chr(92)) = 0
    )
    select t.ordinal, case when terms.q is null then null else ts_headline(${config}, t.text, terms.q, ${options}) end as marked
    from unnest(${textArrayLiteral(texts)}::text[]) with ordinality as t(text, ordinal), terms
    order by t.ordinal`);
  return rows.map((row) => (row.marked ? ranges(row.marked) : []));
}

function ranges(marked: string): Highlight[] {
  const found: Highlight[] = [];
  let offset = 0;
  let start = -1;
  for (const char of marked) {
    if (char === START) start = offset;
    else if (char === STOP) {
      if (start >= 0) found.push([start, offset]);
      start = -1;
    } else offset += char.length;
  }
  return found;
}

