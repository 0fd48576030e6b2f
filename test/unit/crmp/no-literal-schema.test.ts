import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Revisions run against whatever schema the user names; a literal schema name
// in one would silently write into that schema instead. They are also frozen
// history, so they may import nothing but the MigrationContext type.

const REVISIONS = resolve(__dirname, '../../../revisions');

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(crmp|public)\."?[a-z_]/i, 'qualifies a name with a literal schema'],
  [/["'`]crmp["'`]/i, 'quotes the schema name crmp'],
  [/withSchema\(\s*['"`]/, 'passes a literal to withSchema()'],
  [/\bschema\s*:\s*['"`]/, 'sets schema: to a literal'],
  [/sql\.id\(\s*['"`][^'"`]*['"`]\s*,/, 'qualifies sql.id() with a literal first part'],
  [/sql\.(table|ref)\(\s*['"`][^'"`]*\./, 'passes a dotted literal to sql.table()/sql.ref()'],
  [/search_path/i, 'changes search_path'],
];

/** What is wrong with a revision's source, one line per problem. */
function literalSchemaProblems(source: string): string[] {
  const problems: string[] = [];
  source.split('\n').forEach((line, i) => {
    for (const [pattern, what] of RULES) if (pattern.test(line)) problems.push(`line ${i + 1} ${what}: ${line.trim()}`);
  });
  for (const match of source.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
    if (!match[1] || match[2] !== '../src/runtime/context')
      problems.push(`imports ${match[2]}${match[1] ? '' : ' as a value'}: only \`import type\` from '../src/runtime/context' is allowed`);
  }
  return problems;
}

describe('revisions name no schema literally', () => {
  const files = readdirSync(REVISIONS).filter((f) => f.endsWith('.ts'));

  it('finds the revision files', () => {
    expect(files.length).to.be.at.least(6);
    for (const f of files) expect(f).to.match(/^[0-9a-f]{12}_[a-z0-9_]+\.ts$/);
  });

  for (const file of readdirSync(REVISIONS).filter((f) => f.endsWith('.ts'))) {
    it(`${file} takes its schema from ctx only`, () => {
      const source = readFileSync(join(REVISIONS, file), 'utf8');
      expect(literalSchemaProblems(source)).to.deep.equal([]);
      expect(source).to.match(/ctx\.schema/);
    });
  }

  it('flags each way of naming a schema literally', () => {
    const bad = [
      'await sql`select * from crmp.meta_station`.execute(db);',
      'await sql`select * from "crmp"."meta_station"`.execute(db);',
      'await sql`grant select on public.meta_station to x`.execute(db);',
      "ctx.db.schema.withSchema('crmp').createTable('x')",
      "op.createTable({ name: 'x', schema: 'crmp' })",
      "sql`drop table ${sql.id('other', 'meta_station')}`",
      "sql`select * from ${sql.table('other.meta_station')}`",
      'await sql`set search_path to other`.execute(db);',
      "import { crmp } from '../src/crmp';",
      "import { buildMigrationContext } from '../src/runtime/migration-context';",
      "import { MigrationContext } from '../src/runtime/context';",
    ];
    for (const line of bad) expect(literalSchemaProblems(line), line).to.have.length.greaterThan(0);
    const good = [
      "import type { MigrationContext } from '../src/runtime/context';",
      "await ctx.db.schema.withSchema(ctx.schema).createTable('meta_station')",
      "sql`create index ${sql.id('meta_history_current_idx')} on ${sql.id(ctx.schema, 'meta_history')} (station_id)`",
      "sql`grant select on table ${id('crmp_network_geoserver')} to public`",
    ];
    for (const line of good) expect(literalSchemaProblems(line), line).to.deep.equal([]);
  });
});
