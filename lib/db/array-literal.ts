/**
 * A PostgreSQL array literal such as {"a","b"}: one bind parameter carries a
 * whole list on both drivers (node-postgres and PGlite), cast with ::text[].
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

export function integerArrayLiteral(values: readonly number[]): string {
  return `{${values.map((value) => Math.trunc(value)).join(",")}}`;
}
