import { expect } from 'chai';
import type { Operation } from '../../../src/operations/operation';
import { renderSql } from '../../../src/render/render-sql';
import { col, constraint, index, routine, table, view } from '../diff/snapshot-literals';

describe('renderSql', function () {
  it('renders nothing for no operations', function () {
    expect(renderSql([], { schema: 's' })).to.equal('');
  });

  it('sets search_path to the schema and quotes and qualifies every identifier', function () {
    const t = table('Order', [col('id', 'integer', { notNull: true }), col('note', 'text', { default: "'x'::text", collation: '"C"' })], {
      constraints: [constraint('Order_pkey', 'primary key', 'PRIMARY KEY (id)', ['id'])],
      indexes: [index('order_note', 'btree (note)')],
      comment: "it's",
    });
    const sql = renderSql([{ kind: 'createTable', table: t }], { schema: 'My Schema' });
    expect(sql).to.equal(
      [
        'SET search_path TO "My Schema", "public";',
        '',
        'CREATE TABLE "My Schema"."Order" (',
        '    "id" integer NOT NULL,',
        `    "note" text COLLATE "C" DEFAULT 'x'::text,`,
        '    CONSTRAINT "Order_pkey" PRIMARY KEY (id)',
        ');',
        'CREATE INDEX "order_note" ON "My Schema"."Order" USING btree (note);',
        `COMMENT ON TABLE "My Schema"."Order" IS 'it''s';`,
        '',
      ].join('\n'),
    );
  });

  it('writes REVIEW, DESTRUCTIVE and NOTE remarks as comments', function () {
    const ops: Operation[] = [
      { kind: 'renameTable', from: 'a', to: 'b', review: true, note: 'proposed as a rename' },
      { kind: 'dropColumn', table: 'b', column: col('c'), destructive: true, reason: 'drops column "b"."c"' },
    ];
    const sql = renderSql(ops, { schema: 's', header: false });
    expect(sql).to.equal(
      [
        '-- REVIEW: proposed as a rename',
        'ALTER TABLE "s"."a" RENAME TO "b";',
        '',
        '-- DESTRUCTIVE: drops column "b"."c"',
        'ALTER TABLE "s"."b" DROP COLUMN "c";',
        '',
      ].join('\n'),
    );
  });

  it('turns function body checks off when it creates routines', function () {
    const sql = renderSql([{ kind: 'createRoutine', routine: routine('f', ' select 1 ') }], { schema: 's' });
    expect(sql).to.contain('SET check_function_bodies = false;');
    expect(sql).to.contain('CREATE OR REPLACE FUNCTION "s"."f"()\n RETURNS integer');
  });

  it('re-creates an enum through text, restoring defaults', function () {
    const sql = renderSql(
      [
        {
          kind: 'recreateEnum',
          type: 'e',
          fromLabels: ['a', 'b'],
          toLabels: ['b'],
          columns: [{ table: 't', column: 'c', array: true, default: "'{b}'::e[]" }],
        },
      ],
      { schema: 's', header: false },
    );
    expect(sql.trim().split('\n')).to.deep.equal([
      'ALTER TYPE "s"."e" RENAME TO "e_retort_old";',
      `CREATE TYPE "s"."e" AS ENUM ('b');`,
      'ALTER TABLE "s"."t" ALTER COLUMN "c" DROP DEFAULT;',
      'ALTER TABLE "s"."t" ALTER COLUMN "c" TYPE "s"."e"[] USING "c"::text[]::"s"."e"[];',
      `ALTER TABLE "s"."t" ALTER COLUMN "c" SET DEFAULT '{b}'::e[];`,
      'DROP TYPE "s"."e_retort_old";',
    ]);
  });

  it('creates materialized views empty, indexes them, then refreshes them', function () {
    const mv = view('mv', ' SELECT 1 AS a;', [['a', 'integer']], { materialized: true, indexes: [index('mv_a_idx', 'btree (a)', { unique: true })] });
    const sql = renderSql([{ kind: 'createView', view: mv }], { schema: 's', header: false });
    expect(sql.trim().split('\n')).to.deep.equal([
      'CREATE MATERIALIZED VIEW "s"."mv" AS',
      ' SELECT 1 AS a',
      'WITH NO DATA;',
      'CREATE UNIQUE INDEX "mv_a_idx" ON "s"."mv" USING btree (a);',
      'REFRESH MATERIALIZED VIEW "s"."mv";',
    ]);
  });

  it('writes grants, column grants and revokes', function () {
    const grant = { grantee: 'app user', privilege: 'SELECT', grantable: true };
    const sql = renderSql(
      [
        { kind: 'grant', target: { kind: 'table', name: 't' }, grant },
        { kind: 'revoke', target: { kind: 'column', table: 't', name: 'c' }, grant: { ...grant, grantee: 'PUBLIC' } },
        {
          kind: 'grant',
          target: { kind: 'function', name: 'f', arguments: 'i integer' },
          grant: { grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false },
        },
      ],
      { schema: 's', header: false },
    );
    expect(sql).to.contain('GRANT SELECT ON TABLE "s"."t" TO "app user" WITH GRANT OPTION;');
    expect(sql).to.contain('REVOKE SELECT ("c") ON TABLE "s"."t" FROM PUBLIC;');
    expect(sql).to.contain('GRANT EXECUTE ON FUNCTION "s"."f"(i integer) TO PUBLIC;');
  });

  it('creates partitions with PARTITION OF and extensions in the target schema', function () {
    const p1 = table('p1', [col('a', 'integer', { inherited: true, local: false })], {
      partitionOf: { parent: { schema: null, name: 'p' }, bound: 'FOR VALUES IN (1)' },
    });
    const sql = renderSql(
      [
        { kind: 'createExtension', extension: { name: 'hstore', version: '1.8', schema: null, privileged: false } },
        { kind: 'createExtension', extension: { name: 'citext', version: '1.6', schema: 'public', privileged: false } },
        { kind: 'createTable', table: p1 },
      ],
      { schema: 's', header: false },
    );
    expect(sql).to.contain(`CREATE EXTENSION IF NOT EXISTS "hstore" WITH SCHEMA "s" VERSION '1.8';`);
    expect(sql).to.contain(`CREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "public" VERSION '1.6';`);
    expect(sql).to.contain('CREATE TABLE "s"."p1" PARTITION OF "s"."p" FOR VALUES IN (1);');
  });

  it('runs what only a superuser may run as the SU role, in one block per run of such operations', function () {
    const py = routine('py', '', {
      privileged: true,
      language: 'plpython3u',
      definition: '(a integer)\n RETURNS integer\n LANGUAGE plpython3u\nAS $function$return a$function$\n',
    });
    const ops: Operation[] = [
      { kind: 'createExtension', extension: { name: 'plpython3u', version: '1.0', schema: 'pg_catalog', privileged: true } },
      { kind: 'createRoutine', routine: py },
      { kind: 'renameTable', from: 'a', to: 'b' },
      { kind: 'alterOwner', target: { kind: 'table', name: 'b' }, from: null, to: 'owner' },
      { kind: 'alterOwner', target: { kind: 'function', name: 'py', arguments: 'a integer' }, from: 'su', to: null },
    ];
    const sql = renderSql(ops, { schema: 's', header: false, suRole: 'su' });
    expect(sql.split('\n\n')).to.deep.equal([
      'SET ROLE "su";',
      `CREATE EXTENSION IF NOT EXISTS "plpython3u" WITH SCHEMA "pg_catalog" VERSION '1.0';`,
      'CREATE OR REPLACE FUNCTION "s"."py"(a integer)\n RETURNS integer\n LANGUAGE plpython3u\nAS $function$return a$function$;',
      'RESET ROLE;',
      'ALTER TABLE "s"."a" RENAME TO "b";',
      'SET ROLE "su";',
      'ALTER TABLE "s"."b" OWNER TO "owner";',
      'ALTER FUNCTION "s"."py"(a integer) OWNER TO SESSION_USER;',
      'RESET ROLE;\n',
    ]);
    // without an SU role, the statements run as they are
    expect(renderSql(ops, { schema: 's', header: false })).not.to.contain('ROLE');
  });

  it("creates a partition's indexes and constraints for its parent with PARTITION OF, renaming them where it can", function () {
    // p1_a_idx and p1_by_a both come out as p1_a_idx / p1_a_idx1, in an order the snapshot does not say: left alone
    const p1 = table('p1', [col('a', 'integer', { inherited: true, local: false })], {
      partitionOf: { parent: { schema: null, name: 'p' }, bound: 'FOR VALUES IN (1)' },
      constraints: [
        constraint('p1_own_pk', 'primary key', 'PRIMARY KEY (a)', ['a'], { attachedTo: 'p_pkey' }),
        constraint('p_f_fkey', 'foreign key', 'FOREIGN KEY (a) REFERENCES f(id)', ['a'], { attachedTo: 'p_f_fkey' }),
      ],
      indexes: [index('p1_a_idx', 'btree (a)', { columns: ['a'], attachedTo: 'p_a_idx' }), index('p1_by_a', 'hash (a)', { columns: ['a'], attachedTo: 'p_h' })],
      replicaIdentity: { index: 'p1_a_idx' },
    });
    expect(
      renderSql([{ kind: 'createTable', table: p1 }], { schema: 's', header: false })
        .trim()
        .split('\n'),
    ).to.deep.equal([
      'CREATE TABLE "s"."p1" PARTITION OF "s"."p" FOR VALUES IN (1);',
      'ALTER TABLE "s"."p1" RENAME CONSTRAINT "p1_pkey" TO "p1_own_pk";',
      'ALTER TABLE "s"."p1" REPLICA IDENTITY USING INDEX "p1_a_idx";',
    ]);
  });
});
