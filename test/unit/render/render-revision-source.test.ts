import { expect } from 'chai';
import type { Operation } from '../../../src/operations/operation';
import { renderRevisionSource } from '../../../src/render/render-revision-source';
import { col, constraint, routine, table, view } from '../diff/snapshot-literals';

describe('renderRevisionSource', function () {
  const t = table('t', [col('id', 'integer', { notNull: true }), col('c', 'text', { default: "'a`b'::text" })], {
    constraints: [
      constraint('t_pkey', 'primary key', 'PRIMARY KEY (id)', ['id']),
      constraint('t_c_check', 'check', "CHECK ((c <> ''::text))", ['c']),
      constraint('t_c_excl', 'exclude', 'EXCLUDE USING gist (c WITH =)', ['c']),
    ],
  });

  it('uses Kysely schema builders against ctx.schema where Kysely has them', function () {
    const { upgrade, downgrade, imports } = renderRevisionSource([{ kind: 'createTable', table: t }]);
    expect(imports).to.deep.equal([]);
    expect(upgrade).to.equal(
      [
        '  await ctx.db.schema.withSchema(ctx.schema)',
        "    .createTable('t')",
        "    .addColumn('id', ctx.sql`integer`, (col) => col.notNull())",
        "    .addColumn('c', ctx.sql`text`, (col) => col.defaultTo(ctx.sql`'a\\`b'::text`))",
        "    .addPrimaryKeyConstraint('t_pkey', ['id'])",
        "    .addCheckConstraint('t_c_check', ctx.sql`(c <> ''::text)`)",
        '    .execute();',
        "  await ctx.sql`ALTER TABLE ${ctx.sql.id(ctx.schema, 't')} ADD CONSTRAINT ${ctx.sql.id('t_c_excl')} EXCLUDE USING gist (c WITH =)`.execute(ctx.db);",
      ].join('\n'),
    );
    expect(downgrade).to.equal('  // DESTRUCTIVE: drops table "t" and its data\n  await ctx.db.schema.withSchema(ctx.schema).dropTable(\'t\').execute();');
  });

  it('writes raw statements with ctx.sql.id and never a literal schema', function () {
    const ops: Operation[] = [
      { kind: 'setSequenceOwner', name: 'seq', from: null, to: { table: 't', column: 'id' } },
      { kind: 'createExtension', extension: { name: 'hstore', version: '1.8', schema: null, privileged: false } },
    ];
    const { upgrade } = renderRevisionSource(ops);
    expect(upgrade).to.contain("await ctx.sql`ALTER SEQUENCE ${ctx.sql.id(ctx.schema, 'seq')} OWNED BY ${ctx.sql.id(ctx.schema, 't', 'id')}`.execute(ctx.db);");
    expect(upgrade).to.contain("WITH SCHEMA ${ctx.sql.id(ctx.schema)} VERSION '1.8'");
  });

  it('keeps routine bodies byte for byte (no indentation inside the SQL) and turns body checks off', function () {
    const f = routine('f', '\nbegin\n  return 1;\nend\n', { language: 'plpgsql' });
    const { upgrade } = renderRevisionSource([{ kind: 'createRoutine', routine: f }]);
    expect(upgrade).to.contain('await ctx.sql`set local check_function_bodies = off`.execute(ctx.db);');
    expect(upgrade).to.contain('AS $function$\nbegin\n  return 1;\nend\n$function$`.execute(ctx.db);');
  });

  it('writes REVIEW and DESTRUCTIVE comments, and the reverse as the downgrade', function () {
    const ops: Operation[] = [
      { kind: 'renameColumn', table: 't', from: 'a', to: 'b', review: true, note: 'proposed as a rename' },
      { kind: 'createView', view: view('v', ' SELECT 1 AS one;', [['one', 'integer']]) },
    ];
    const { upgrade, downgrade } = renderRevisionSource(ops, { indent: '' });
    expect(upgrade.split('\n')).to.deep.equal([
      '// REVIEW: proposed as a rename',
      "await ctx.db.schema.withSchema(ctx.schema).alterTable('t').renameColumn('a', 'b').execute();",
      "await ctx.db.schema.withSchema(ctx.schema).createView('v').as(ctx.sql` SELECT 1 AS one`).execute();",
    ]);
    expect(downgrade.split('\n')).to.deep.equal([
      "await ctx.db.schema.withSchema(ctx.schema).dropView('v').execute();",
      '// REVIEW: proposed as a rename',
      "await ctx.db.schema.withSchema(ctx.schema).alterTable('t').renameColumn('b', 'a').execute();",
    ]);
  });

  it('says so when there is nothing to do', function () {
    expect(renderRevisionSource([]).upgrade).to.equal('  // nothing to do');
  });

  it('runs what only a superuser may run inside ctx.asSuperuser, on its db', function () {
    const { upgrade, downgrade } = renderRevisionSource(
      [
        { kind: 'renameTable', from: 'a', to: 'b' },
        { kind: 'createExtension', extension: { name: 'plpython3u', version: '1.0', schema: 'pg_catalog', privileged: true } },
        { kind: 'setComment', target: { kind: 'table', name: 'b' }, from: null, to: 'x', superuser: true },
      ],
      { indent: '' },
    );
    expect(upgrade.split('\n')).to.deep.equal([
      "await ctx.db.schema.withSchema(ctx.schema).alterTable('a').renameTo('b').execute();",
      'await ctx.asSuperuser(async (db) => {',
      "  await ctx.sql`CREATE EXTENSION IF NOT EXISTS ${ctx.sql.id('plpython3u')} WITH SCHEMA ${ctx.sql.id('pg_catalog')} VERSION '1.0'`.execute(db);",
      "  await ctx.sql`COMMENT ON TABLE ${ctx.sql.id(ctx.schema, 'b')} IS 'x'`.execute(db);",
      '});',
    ]);
    // the reverse of a change to an object another role owns is one too; the extension stays
    expect(downgrade.split('\n')).to.deep.equal([
      'await ctx.asSuperuser(async (db) => {',
      "  await ctx.sql`COMMENT ON TABLE ${ctx.sql.id(ctx.schema, 'b')} IS NULL`.execute(db);",
      '});',
      "await ctx.db.schema.withSchema(ctx.schema).alterTable('b').renameTo('a').execute();",
    ]);
  });
});
