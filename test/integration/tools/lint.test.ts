import { expect } from 'chai';
import * as path from 'node:path';
import { LINT_SCHEMA, lintRevisions, renderRevisionSql } from '../../../src/commands/lint';
import { loadProject } from '../../../src/commands/project';
import { loadConfig } from '../../../src/config/load';
import { createProject, runCli, tableRevision, type TestProject } from '../../support/cli';

const REVISIONS = [
  tableRevision('aaaa00000001', null, 'station'),
  {
    id: 'bbbb00000002',
    down: 'aaaa00000001',
    message: 'index station names',
    up: "  await ctx.db.schema.withSchema(ctx.schema).createIndex('station_name_idx').on('station').column('name').execute();",
    downBody: "  await ctx.db.schema.withSchema(ctx.schema).dropIndex('station_name_idx').execute();",
  },
  {
    id: 'cccc00000003',
    down: 'bbbb00000002',
    message: 'audit copy',
    up: [
      "  await ctx.sql`create table ${ctx.sql.id(ctx.schema, 'audit')} (id int)`.execute(ctx.db);",
      "  await ctx.sql`insert into crmp.audit select id from ${ctx.sql.id(ctx.schema, 'station')}`.execute(ctx.db);",
    ].join('\n'),
    downBody: "  await ctx.sql`drop table ${ctx.sql.id(ctx.schema, 'audit')}`.execute(ctx.db);",
  },
  {
    id: 'dddd00000004',
    down: 'cccc00000003',
    message: 'station code',
    up: [
      '  // retort-lint-disable set-not-null -- station holds a few hundred rows',
      "  await ctx.db.schema.withSchema(ctx.schema).alterTable('station').addColumn('code', 'text', (c) => c.defaultTo('')).execute();",
      "  await ctx.db.schema.withSchema(ctx.schema).alterTable('station').alterColumn('code', (c) => c.setNotNull()).execute();",
    ].join('\n'),
    downBody: "  await ctx.db.schema.withSchema(ctx.schema).alterTable('station').dropColumn('code').execute();",
  },
];

describe('lint: the CLI and the library over a project', () => {
  let project: TestProject;
  let files: Record<string, string>;
  before(() => {
    project = createProject({ alembic: { schema_name: 'crmp' } });
    files = Object.fromEntries(REVISIONS.map((r) => [r.id, path.relative(project.dir, project.write(r))]));
  });
  after(() => project.remove());

  it('prints file:line rule: message (safer: ...) and exits 1 when there are errors', async () => {
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal(
      `${files.bbbb00000002}:7 index-not-concurrent: CREATE INDEX "station_name_idx" on existing table station without CONCURRENTLY blocks writes to station while it builds (upgrade) (safer: CREATE INDEX CONCURRENTLY in a revision with \`export const transactional = false\`; for a constraint, ADD CONSTRAINT ... UNIQUE USING INDEX on that index)`,
    );
    expect(lines[1]).to.match(
      new RegExp(
        `^${files.cccc00000003!.replace(/\./g, '\\.')}:8 literal-schema: crmp\\. qualifies a name with schema "crmp" literally \\(safer: take the schema from ctx: `,
      ),
    );
    expect(lines[2]).to.equal('1 error, 1 warning in 4 revisions');
  });

  it('exits 0 with only warnings, 1 with --strict, and lints only the files named', async () => {
    const warn = await runCli(['lint', files.bbbb00000002!], { cwd: project.dir });
    expect(warn.code, warn.stderr).to.equal(0);
    expect(warn.stdout.trimEnd().split('\n').pop()).to.equal('0 errors, 1 warning in 1 revision');
    const strict = await runCli(['lint', '--strict', files.bbbb00000002!], { cwd: project.dir });
    expect(strict.code).to.equal(1);
    const clean = await runCli(['lint', files.aaaa00000001!, files.dddd00000004!], { cwd: project.dir });
    expect(clean.code).to.equal(0);
    expect(clean.stdout.trim()).to.equal('0 errors, 0 warnings in 2 revisions');
    const stranger = await runCli(['lint', 'alembic.ini'], { cwd: project.dir });
    expect(stranger.code).to.equal(2);
    expect(stranger.stderr).to.contain(`${path.join(project.dir, 'alembic.ini')} is not a revision in ${path.join(project.dir, 'revisions')}`);
  });

  it('--json gives the findings as data', async () => {
    const r = await runCli(['--json', 'lint'], { cwd: project.dir });
    expect(r.code).to.equal(1);
    const report = (JSON.parse(r.stdout) as { result: { revisions: string[]; errors: number; warnings: number; findings: Array<Record<string, unknown>> } })
      .result;
    expect(report.revisions).to.deep.equal(['aaaa00000001', 'bbbb00000002', 'cccc00000003', 'dddd00000004']);
    expect(report).to.include({ errors: 1, warnings: 1 });
    expect(report.findings[0]).to.include({
      file: path.join(project.dir, files.bbbb00000002!),
      line: 7,
      rule: 'index-not-concurrent',
      severity: 'warning',
      revision: 'bbbb00000002',
      direction: 'upgrade',
      statement: `create index "station_name_idx" on "${LINT_SCHEMA}"."station" ("name")`,
    });
  });

  it('renders the SQL that upgrade --sql prints, and lints just the revisions it is given (for upgrade)', async () => {
    const proj = await loadProject(loadConfig({ cwd: project.dir }));
    const offline = await runCli(['-x', `schema=${LINT_SCHEMA}`, 'upgrade', '--sql', '--allow-lint-errors', 'head'], { cwd: project.dir });
    expect(offline.code, offline.stderr).to.equal(0);
    let at = 0;
    for (const id of REVISIONS.map((r) => r.id)) {
      const rendered = await renderRevisionSql(proj, id);
      for (const s of rendered.rendered[0]!.statements) {
        const found = offline.stdout.indexOf(`${s.text};`, at);
        expect(found, `${id}: ${s.text}`).to.be.greaterThan(-1);
        at = found;
      }
    }
    const pending = await lintRevisions(proj, ['cccc', 'dddd00000004']);
    expect(pending.revisions).to.deep.equal(['cccc00000003', 'dddd00000004']);
    expect(pending.findings.map((f) => `${f.revision} ${f.rule}`)).to.deep.equal(['cccc00000003 literal-schema']);
  });
});
