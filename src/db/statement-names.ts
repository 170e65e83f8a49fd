/**
 * Names for pg's prepared statements (adapter-pg's `statementNameGenerator`). PostgreSQL parses
 * a named statement once per connection and, after five runs, may keep one generic plan for it;
 * an unnamed statement is parsed and planned again on every run. The first `limit` distinct SQL
 * texts get a name; later ones run unnamed, so a client sending ever new query shapes cannot grow
 * what each connection holds beyond `limit` statements.
 */
export function statementNames(limit: number): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < limit) names.set(sql, (name = `cairn_${names.size}`));
    // adapter-pg passes the name to pg as given; undefined is pg's unnamed statement.
    return name as string;
  };
}
