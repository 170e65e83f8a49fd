/** One schema change a migration script makes, as read from its SQL. */
export interface SchemaChange {
  action: 'created' | 'altered' | 'dropped' | 'renamed';
  kind: 'table' | 'column' | 'index' | 'enum' | 'foreign key';
  /** The table, enum or index name; for columns and foreign keys, the table. */
  name: string;
  /** The column or constraint, for column and foreign-key changes. */
  member?: string;
  /** The new name, for renames. */
  to?: string;
}

const ident = String.raw`(?:"[^"]+"\.)?"([^"]+)"|(?:\w+\.)?(\w+)`;
const name = (match: RegExpExecArray, at: number) => match[at] ?? match[at + 1]!;
const re = (source: string) => new RegExp(source.replaceAll('ID', `(?:${ident})`), 'i');

const statementPatterns = {
  createTable: re(String.raw`^CREATE TABLE (?:IF NOT EXISTS )?ID\s*\(([\s\S]*)\)$`),
  alterTable: re(String.raw`^ALTER TABLE (?:ONLY )?ID\s+([\s\S]+)$`),
  dropTable: re(String.raw`^DROP TABLE (?:IF EXISTS )?ID`),
  createIndex: re(String.raw`^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?ID ON ID`),
  dropIndex: re(String.raw`^DROP INDEX (?:IF EXISTS )?ID`),
  renameIndex: re(String.raw`^ALTER INDEX ID RENAME TO ID`),
  createEnum: re(String.raw`^CREATE TYPE ID AS ENUM`),
  renameEnum: re(String.raw`^ALTER TYPE ID RENAME TO ID`),
  alterEnum: re(String.raw`^ALTER TYPE ID`),
  dropEnum: re(String.raw`^DROP TYPE (?:IF EXISTS )?ID`),
  insertSelect: re(String.raw`^INSERT INTO ID\s*\(([^)]*)\)\s*SELECT`),
};

const clausePatterns = {
  addColumn: re(String.raw`^ADD (?:COLUMN )?(?!CONSTRAINT\b)ID`),
  dropColumn: re(String.raw`^DROP (?:COLUMN )?(?!CONSTRAINT\b)(?:IF EXISTS )?ID`),
  alterColumn: re(String.raw`^ALTER (?:COLUMN )?ID`),
  renameColumn: re(String.raw`^RENAME (?:COLUMN )?ID TO ID`),
  renameTable: re(String.raw`^RENAME TO ID`),
  addForeignKey: re(String.raw`^ADD CONSTRAINT ID FOREIGN KEY`),
  dropConstraint: re(String.raw`^DROP CONSTRAINT (?:IF EXISTS )?ID`),
};

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Statements of a script, without comments. Prisma ends every statement with `;` at a line end. */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/**
 * What a migration script changes: tables, columns, indexes, enums and foreign keys created,
 * altered, renamed or dropped. SQLite's table rebuild (`new_X` created, copied, renamed to `X`)
 * is reported as `X` altered plus the columns it adds; the columns it drops are read from the
 * warnings Prisma writes at the top of the script.
 */
export function summarizeMigration(sql: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const created = new Map<string, string[]>(); // table → its columns
  const copied = new Map<string, string[]>(); // new_X → columns copied from X
  for (const statement of splitStatements(sql)) {
    let m: RegExpExecArray | null;
    if ((m = statementPatterns.createTable.exec(statement))) {
      created.set(name(m, 1), columnsOf(m[3]!));
      changes.push({ action: 'created', kind: 'table', name: name(m, 1) });
    } else if ((m = statementPatterns.insertSelect.exec(flat(statement)))) {
      copied.set(name(m, 1), m[3]!.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
    } else if ((m = statementPatterns.alterTable.exec(statement))) {
      for (const clause of m[3]!.split(/,\s*\n/)) changes.push(...alterClause(name(m, 1), flat(clause)));
    } else {
      const change = otherStatement(flat(statement));
      if (change) changes.push(change);
    }
  }
  return dedupe([...foldEnumRebuilds(foldRebuilds(changes, created, copied)), ...droppedColumnWarnings(sql)]);
}

function otherStatement(statement: string): SchemaChange | undefined {
  let m: RegExpExecArray | null;
  if ((m = statementPatterns.dropTable.exec(statement))) return { action: 'dropped', kind: 'table', name: name(m, 1) };
  if ((m = statementPatterns.createIndex.exec(statement))) return { action: 'created', kind: 'index', name: name(m, 1), member: name(m, 3) };
  if ((m = statementPatterns.dropIndex.exec(statement))) return { action: 'dropped', kind: 'index', name: name(m, 1) };
  if ((m = statementPatterns.renameIndex.exec(statement))) return { action: 'renamed', kind: 'index', name: name(m, 1), to: name(m, 3) };
  if ((m = statementPatterns.createEnum.exec(statement))) return { action: 'created', kind: 'enum', name: name(m, 1) };
  if ((m = statementPatterns.renameEnum.exec(statement))) return { action: 'renamed', kind: 'enum', name: name(m, 1), to: name(m, 3) };
  if ((m = statementPatterns.alterEnum.exec(statement))) return { action: 'altered', kind: 'enum', name: name(m, 1) };
  if ((m = statementPatterns.dropEnum.exec(statement))) return { action: 'dropped', kind: 'enum', name: name(m, 1) };
  return undefined;
}

function alterClause(table: string, clause: string): SchemaChange[] {
  let m: RegExpExecArray | null;
  if ((m = clausePatterns.addForeignKey.exec(clause))) return [{ action: 'created', kind: 'foreign key', name: table, member: name(m, 1) }];
  if ((m = clausePatterns.dropConstraint.exec(clause))) return [{ action: 'dropped', kind: 'foreign key', name: table, member: name(m, 1) }];
  if ((m = clausePatterns.renameColumn.exec(clause))) return [{ action: 'renamed', kind: 'column', name: table, member: name(m, 1), to: name(m, 3) }];
  if ((m = clausePatterns.renameTable.exec(clause))) return [{ action: 'renamed', kind: 'table', name: table, to: name(m, 1) }];
  if ((m = clausePatterns.addColumn.exec(clause))) return [{ action: 'created', kind: 'column', name: table, member: name(m, 1) }];
  if ((m = clausePatterns.dropColumn.exec(clause))) return [{ action: 'dropped', kind: 'column', name: table, member: name(m, 1) }];
  if ((m = clausePatterns.alterColumn.exec(clause))) return [{ action: 'altered', kind: 'column', name: table, member: name(m, 1) }];
  return [];
}

/** Column names of a CREATE TABLE body (lines starting with a quoted name; constraints are skipped). */
function columnsOf(body: string): string[] {
  return [...body.matchAll(/^\s*"([^"]+)"\s/gm)].map((m) => m[1]!);
}

/** Prisma's header: "You are about to drop the column `name` on the `User` table." */
function droppedColumnWarnings(sql: string): SchemaChange[] {
  return [...sql.matchAll(/drop the column `([^`]+)` on the `([^`]+)` table/g)].map((m) => ({
    action: 'dropped' as const,
    kind: 'column' as const,
    name: m[2]!,
    member: m[1]!,
  }));
}

function foldRebuilds(changes: SchemaChange[], created: Map<string, string[]>, copied: Map<string, string[]>): SchemaChange[] {
  const renamedTo = (table: string) =>
    changes.find((c) => c.action === 'renamed' && c.kind === 'table' && c.name === table)?.to;
  const rebuilds = new Map([...copied.keys()].flatMap((temp) => (renamedTo(temp) ? [[renamedTo(temp)!, temp]] : [])));
  const temps = new Set(rebuilds.values());
  return changes.flatMap((change): SchemaChange[] => {
    if (change.kind !== 'table') return [change];
    if (temps.has(change.name) && change.action === 'created') {
      const table = renamedTo(change.name)!;
      const kept = new Set(copied.get(change.name));
      const added = (created.get(change.name) ?? []).filter((column) => !kept.has(column));
      return [
        { action: 'altered', kind: 'table', name: table },
        ...added.map((member) => ({ action: 'created' as const, kind: 'column' as const, name: table, member })),
      ];
    }
    if (temps.has(change.name)) return []; // new_X renamed to X
    if (change.action === 'dropped' && rebuilds.has(change.name)) return []; // the old X dropped in a rebuild
    return [change];
  });
}

/** PostgreSQL removes enum values by creating `X_new`, renaming `X` to `X_old` and `X_new` to `X`, dropping `X_old`. */
function foldEnumRebuilds(changes: SchemaChange[]): SchemaChange[] {
  const isEnum = (c: SchemaChange, action: SchemaChange['action']) => c.kind === 'enum' && c.action === action;
  const rebuilt = new Set(changes.filter((c) => isEnum(c, 'renamed') && c.name === `${c.to}_new`).map((c) => c.to!));
  return changes.flatMap((c): SchemaChange[] => {
    const base = c.name.replace(/_(new|old)$/, '');
    if (c.kind !== 'enum' || !rebuilt.has(base) || c.name === base && c.action !== 'renamed') return [c];
    return isEnum(c, 'created') ? [{ action: 'altered', kind: 'enum', name: base }] : [];
  });
}

function dedupe(changes: SchemaChange[]): SchemaChange[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    const key = JSON.stringify(change);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** `+ table User`, `~ column User.name`, `- index User_email_key`, `> column User.name → fullName`. */
export function formatChange(change: SchemaChange): string {
  const sign = { created: '+', altered: '~', dropped: '-', renamed: '>' }[change.action];
  const subject = change.kind === 'index' ? `${change.name}${change.member ? ` on ${change.member}` : ''}` :
    change.member ? `${change.name}.${change.member}` : change.name;
  return `${sign} ${change.action} ${change.kind} ${subject}${change.to ? ` → ${change.to}` : ''}`;
}
