import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSource, disabledRules } from '../../../src/lint/check-source';
import { lintRevision } from '../../../src/lint/lint-revision';
import { renderRevision } from '../../../src/lint/render-revision';
import { PACKAGE_NAME } from '../../../src/package-info';

const P = 'retort_lint_schema';

describe('lint: source text', () => {
  it('flags literal schemas in builder calls and inside strings, not in comments or code names', () => {
    const source = [
      '// crmp.meta_station is where the data lives',
      "await ctx.db.schema.withSchema('crmp').createTable('t').execute();",
      'await sql`select * from crmp.meta_station`.execute(db);',
      'await sql`select * from "public"."x"`.execute(db);',
      "op({ name: 'x', schema: 'other' });",
      "sql`drop table ${sql.table('other.t')}`;",
      "sql`drop table ${sql.id('crmp', 't')}`;",
      'const crmp = { x: 1 }; use(crmp.x);',
      "await ctx.db.schema.withSchema(ctx.schema).createTable('meta_station').execute();",
      "sql`select ${sql.id(ctx.schema, 't')}.a from t`",
    ].join('\n');
    expect(checkSource(source, ['crmp', 'public']).map((i) => `${i.line} ${i.message}`)).to.deep.equal([
      `2 withSchema('crmp') names schema "crmp" literally`,
      '3 crmp. qualifies a name with schema "crmp" literally',
      '4 "public". qualifies a name with schema "public" literally',
      `5 schema: 'other' names schema "other" literally`,
      `6 sql.table('other.t') names schema "other" literally`,
      `7 sql.id('crmp', ...) names schema "crmp" literally`,
    ]);
  });

  it('reads retort-lint-disable comments, in code and in SQL, and reports unknown rule names', () => {
    const d = disabledRules(
      [
        '// retort-lint-disable index-not-concurrent, fk-not-valid -- the table is tiny',
        'sql`-- retort-lint-disable set-not-null`',
        '// retort-lint-disable no-such-rule',
      ].join('\n'),
    );
    expect([...d.rules].sort()).to.deep.equal(['fk-not-valid', 'index-not-concurrent', 'set-not-null']);
    expect(d.unknown).to.deep.equal([{ name: 'no-such-rule', line: 3 }]);
  });
});

describe('lint: one revision, rendered from its file', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-lint-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return file;
  }

  const revision = (up: string, extra = '') =>
    [
      `import type { MigrationContext } from '${PACKAGE_NAME}';`,
      "export const revision = 'aaaa00000001';",
      'export const downRevision = null;',
      extra,
      'export async function upgrade(ctx: MigrationContext): Promise<void> {',
      '  const { sql } = ctx;',
      up,
      '}',
      'export async function downgrade(ctx: MigrationContext): Promise<void> {',
      "  await ctx.db.schema.withSchema(ctx.schema).alterTable('station').dropColumn('code').execute();",
      '}',
      '',
    ].join('\n');

  async function lint(file: string) {
    const r = await renderRevision({ file, schema: P });
    return lintRevision({ file, source: r.source, revision: r.revision, rendered: r.rendered, placeholder: P, knownSchemas: ['crmp', 'public'] });
  }

  it('renders both directions with the placeholder schema and the line of each call', async () => {
    const file = write(
      'a.ts',
      revision(
        [
          "  await ctx.db.schema.withSchema(ctx.schema).alterTable('station').addColumn('code', 'text').execute();",
          "  await sql`create index ${sql.id('station_code_idx')}",
          "    on ${sql.id(ctx.schema, 'station')} (code)`.execute(ctx.db);",
        ].join('\n'),
      ),
    );
    const r = await renderRevision({ file, schema: P });
    expect(r.revision).to.equal('aaaa00000001');
    expect(r.rendered.map((d) => d.direction)).to.deep.equal(['upgrade', 'downgrade']);
    expect(r.rendered[0]!.statements).to.deep.equal([
      { text: `alter table "${P}"."station" add column "code" text`, line: 7 },
      { text: `create index "station_code_idx"\n    on "${P}"."station" (code)`, line: 9 },
    ]);
    expect(r.rendered[1]!.statements).to.deep.equal([{ text: `alter table "${P}"."station" drop column "code"`, line: 12 }]);
  });

  it('reports each finding at the source line that produced it, with severity and the safer form', async () => {
    const file = write(
      'b.ts',
      revision(
        [
          "  await sql`alter table ${sql.id(ctx.schema, 'obs')}",
          "    add constraint obs_station_fk foreign key (station_id) references ${sql.id(ctx.schema, 'station')} (id)`.execute(ctx.db);",
          '  await sql`insert into crmp.audit values (1)`.execute(ctx.db);',
          "  await ctx.db.schema.withSchema(ctx.schema).alterTable('obs').alterColumn('v', (c) => c.setNotNull()).execute();",
        ].join('\n'),
      ),
    );
    const findings = await lint(file);
    expect(findings.map((f) => `${f.line} ${f.rule} ${f.severity}`)).to.deep.equal([
      '8 fk-not-valid warning',
      '9 literal-schema error',
      '10 set-not-null warning',
    ]);
    expect(findings[0]!.safer).to.match(/NOT VALID, then VALIDATE CONSTRAINT/);
    expect(findings[0]!.statement).to.match(/^alter table "retort_lint_schema"."obs" add constraint obs_station_fk/);
    expect(findings[0]!.direction).to.equal('upgrade');
    expect(findings[2]!.message).to.contain('obs.v');
  });

  it('silences rules named in a retort-lint-disable comment for the whole revision', async () => {
    const file = write(
      'c.ts',
      revision(
        [
          '  // retort-lint-disable index-not-concurrent -- station has 40 rows',
          "  await sql`create index i on ${sql.id(ctx.schema, 'station')} (code)`.execute(ctx.db);",
          "  await sql`alter table ${sql.id(ctx.schema, 'station')} alter column code type varchar(20)`.execute(ctx.db);",
        ].join('\n'),
      ),
    );
    expect((await lint(file)).map((f) => f.rule)).to.deep.equal(['column-type-change']);
  });

  it('keeps what was rendered before a revision failed offline, and says so', async () => {
    const file = write(
      'd.ts',
      revision(
        [
          "  await sql`create index i on ${sql.id(ctx.schema, 'station')} (code)`.execute(ctx.db);",
          "  const rows = await sql<{ n: number }>`select count(*) as n from ${sql.id(ctx.schema, 'station')}`.execute(ctx.db);",
          '  if (rows.rows[0]!.n > 0) return;',
        ].join('\n'),
      ),
    );
    const findings = await lint(file);
    expect(findings.map((f) => `${f.line} ${f.rule}`)).to.deep.equal(['5 render-failed', '7 index-not-concurrent']);
    expect(findings[0]!.message).to.match(/^upgrade\(\) could not be rendered offline: .+; the rest of its SQL was not checked/);
  });

  it('lints JavaScript revisions without compiling them', async () => {
    const file = write(
      'e.js',
      [
        "exports.revision = 'bbbb00000002';",
        'exports.downRevision = null;',
        'exports.upgrade = async (ctx) => {',
        "  await ctx.sql`alter table ${ctx.sql.id(ctx.schema, 't')} alter column a type bigint`.execute(ctx.db);",
        '};',
        'exports.downgrade = async () => {};',
      ].join('\n'),
    );
    expect((await lint(file)).map((f) => `${f.line} ${f.rule}`)).to.deep.equal(['4 column-type-change']);
  });
});
