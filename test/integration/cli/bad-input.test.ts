import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase, query as exec } from '../../support/database';
import { createProject, dumpAll, runCli, tableRevision, type TestProject } from '../../support/cli';

/** One line on stderr, naming the thing; exit code as given. */
function expectOneLineError(r: { code: number; stderr: string; stdout: string }, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).to.equal(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^migrate: error: /);
  expect(lines[0]).to.match(pattern);
}

describe('cli: bad input gets a clear error and changes nothing', () => {
  let db: TestDatabase;
  let project: TestProject;
  let before: string;

  beforeEach(async () => {
    db = await createTestDatabase('bad');
    await exec(db.url, 'create schema crmp');
    project = createProject({
      labels: { dev: db.url },
      revisions: [tableRevision('aaaa00000001', null, 'network'), tableRevision('aaab00000002', 'aaaa00000001', 'station')],
    });
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'aaaa00000001'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    before = dumpAll(db.url);
  });
  afterEach(async () => {
    expect(dumpAll(db.url), 'the database changed').to.equal(before);
    project.remove();
    await db.drop();
  });

  it('unknown label: lists the labels that exist', async () => {
    expectOneLineError(
      await runCli(['-x', 'db=prod', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /unknown database label "prod"\. Labels in .*alembic\.ini: dev\./,
    );
  });

  it('missing label: says how to name a database', async () => {
    expectOneLineError(await runCli(['upgrade', 'head'], { cwd: project.dir }), 2, /no database given\. Labels in .*: dev\. Pass -x db=<label>/);
  });

  it('unknown -x key', async () => {
    expectOneLineError(
      await runCli(['-x', 'db=dev', '-x', 'color=red', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /-x color=\.\.\. is not a known key\. Known keys: db, schema, su_role/,
    );
  });

  it('malformed ini', async () => {
    fs.writeFileSync(path.join(project.dir, 'bad.ini'), '[alembic]\nscript_location = revisions\n[dev]\nnot a url line\n');
    expectOneLineError(
      await runCli(['-c', 'bad.ini', '-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /bad\.ini: line 4: "not a url line" is not a \[section\] header, a key = value line or a comment; section \[dev\] has no sqlalchemy\.url/,
    );
  });

  it('a label whose URL is not PostgreSQL', async () => {
    fs.writeFileSync(path.join(project.dir, 'my.ini'), '[alembic]\n[dev]\nsqlalchemy.url = mysql://u:hunter22@h/db\n');
    const r = await runCli(['-c', 'my.ini', '-x', 'db=dev', 'current'], { cwd: project.dir });
    expectOneLineError(r, 2, /label dev: database address mysql:\/\/u:\*\*\*@h\/db is not usable/);
    expect(r.stderr + r.stdout).to.not.include('hunter22');
  });

  it('unreachable database: the DSN is shown with its password masked', async () => {
    fs.writeFileSync(
      path.join(project.dir, 'down.ini'),
      '[alembic]\nscript_location = revisions\n[dev]\nsqlalchemy.url = postgresql://someone:s3cretpw@127.0.0.1:1/nowhere\n',
    );
    const r = await runCli(['-c', 'down.ini', '-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expectOneLineError(r, 2, /Cannot connect to database dev \(postgresql:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere\)/);
    expect(r.stderr + r.stdout).to.not.include('s3cretpw');
    const debug = await runCli(['-c', 'down.ini', '-x', 'db=dev', '--debug', 'upgrade', 'head'], { cwd: project.dir });
    expect(debug.stderr).to.include('Cannot connect').and.not.include('s3cretpw');
  });

  it('a password from ${ENV} never appears in output', async () => {
    fs.writeFileSync(path.join(project.dir, 'env.ini'), '[alembic]\n[dev]\nsqlalchemy.url = postgresql://someone:${DB_PW}@127.0.0.1:1/nowhere\n');
    const r = await runCli(['-c', 'env.ini', '-x', 'db=dev', 'current'], { cwd: project.dir, env: { DB_PW: 'topsecret99' } });
    expect(r.code).to.equal(2);
    expect(r.stderr + r.stdout).to.not.include('topsecret99');
    const unset = await runCli(['-c', 'env.ini', '-x', 'db=dev', 'current'], { cwd: project.dir });
    expectOneLineError(unset, 2, /uses \$\{DB_PW\}, which is not set\. Export DB_PW/);
  });

  it('unknown revision', async () => {
    expectOneLineError(await runCli(['-x', 'db=dev', 'upgrade', 'ffff'], { cwd: project.dir }), 2, /ffff/);
  });

  it('ambiguous revision prefix lists the candidates', async () => {
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'aaa'], { cwd: project.dir }),
      2,
      /aaa.*aaaa00000001.*aaab00000002|aaa.*aaab00000002.*aaaa00000001/,
    );
  });

  it('a downgrade target that is not below the current revision', async () => {
    expectOneLineError(await runCli(['-x', 'db=dev', 'downgrade', 'aaab00000002'], { cwd: project.dir }), 2, /aaab00000002/);
  });

  it('an upgrade target below the current revision is refused, as Alembic does', async () => {
    await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    before = dumpAll(db.url);
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'aaaa00000001'], { cwd: project.dir }),
      2,
      /Cannot upgrade to aaaa00000001: it is below the current heads \(aaab00000002\).*use "downgrade aaaa00000001"/,
    );
  });

  it('a system schema as target is refused before any SQL', async () => {
    for (const schema of ['pg_catalog', 'pg_toast', 'information_schema']) {
      expectOneLineError(
        await runCli(['-x', 'db=dev', '-x', `schema=${schema}`, 'upgrade', 'head'], { cwd: project.dir }),
        2,
        new RegExp(`schema "${schema}" is one of PostgreSQL's own`),
      );
    }
  });

  it('a hostile schema name is refused before any SQL', async () => {
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, env: { SCHEMA_NAME: 'a"; drop table x; --' } });
    expectOneLineError(r, 2, /schema name "a\\"; drop table x; --" is not a valid identifier/);
  });

  it('a schema that does not exist', async () => {
    expectOneLineError(
      await runCli(['-x', 'db=dev', '-x', 'schema=nope', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /Schema "nope" does not exist in database dev\..*--create-schema/,
    );
  });

  it('a revision file that does not load names the file', async () => {
    fs.writeFileSync(path.join(project.dir, 'revisions', 'cccc00000003_broken.ts'), 'export const revision = ;\n');
    expectOneLineError(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }), 2, /cccc00000003_broken\.ts:1:\d+ does not compile/);
  });

  it('a revision file that throws at load names the file', async () => {
    fs.writeFileSync(path.join(project.dir, 'revisions', 'cccc00000003_throws.ts'), "throw new Error('nope at load');\n");
    expectOneLineError(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }), 2, /cccc00000003_throws\.ts failed to load: nope at load/);
  });

  it('a revision that loaded when cached but throws at load in the upgrading process fails at its own step, loaded once', async () => {
    // Each step loads the next step's module while its own statements run; a module that throws
    // there must fail at its own step, named, and its top level must not run a second time.
    project.write({
      id: 'cccc00000003',
      down: 'aaab00000002',
      message: 'throws when told to',
      extra: [
        "require('node:fs').appendFileSync(process.env.LOAD_LOG ?? '/dev/null', 'loaded\\n');",
        "if (process.env.FAIL_AT_LOAD) throw new Error('told to fail at load');",
      ].join('\n'),
    });
    const cached = await runCli(['-x', 'db=dev', 'heads'], { cwd: project.dir });
    expect(cached.code, cached.stderr).to.equal(0);
    const log = path.join(project.dir, 'load.log');
    // --no-lint: lint loads pending revisions on its own, before any step.
    const r = await runCli(['-x', 'db=dev', 'upgrade', '--no-lint', 'head'], { cwd: project.dir, env: { LOAD_LOG: log, FAIL_AT_LOAD: '1' } });
    expectOneLineError(r, 1, /cccc00000003_throws_when_told_to\.ts failed to load: told to fail at load\..*Rolled back; schema "crmp" stays at aaaa00000001/);
    expect(r.stdout).to.match(/Running upgrade aaaa00000001 -> aaab00000002/);
    expect(fs.readFileSync(log, 'utf8')).to.equal('loaded\n');
  });

  it('a revision with a missing down revision names the file', async () => {
    project.write(tableRevision('cccc00000003', 'deadbeef0000', 'obs'));
    expectOneLineError(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }), 2, /cccc00000003.*deadbeef0000/);
  });

  it('a revision that throws is rolled back, named, and exits 1', async () => {
    project.write({
      id: 'cccc00000003',
      down: 'aaab00000002',
      message: 'half done',
      up: `  await ctx.db.schema.withSchema(ctx.schema).createTable('partial').addColumn('id', 'integer').execute();
  throw new Error('disk on fire');`,
    });
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    expectOneLineError(r, 1, /Revision cccc00000003 \(half done\) failed during upgrade: disk on fire\. Rolled back; schema "crmp" stays at aaaa00000001/);
    // The step before it ran in the same transaction and is rolled back too.
    expect(r.stdout).to.match(/Running upgrade aaaa00000001 -> aaab00000002/);
  });

  it('a revision that needs the superuser role when none is configured', async () => {
    project.write({ id: 'cccc00000003', down: 'aaab00000002', message: 'privileged', up: `  await ctx.asSuperuser((db) => ctx.sql\`select 1\`.execute(db));` });
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /Revision cccc00000003 needs a superuser role and none is set\. Set SU_ROLE_NAME/,
    );
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir, env: { SU_ROLE_NAME: 'no_such_role_xyz' } }),
      2,
      /Role "no_such_role_xyz" \(SU_ROLE_NAME\) does not exist in database dev/,
    );
  });

  it('the version table names a revision no file defines', async () => {
    await exec(db.url, "update crmp.alembic_version set version_num = 'feedfeedfeed'");
    before = dumpAll(db.url);
    expectOneLineError(await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }), 2, /is at revision feedfeedfeed, which no file in .* defines/);
  });

  it("a version table that is not in Alembic's layout", async () => {
    await exec(db.url, 'alter table crmp.alembic_version rename column version_num to rev');
    before = dumpAll(db.url);
    for (const args of [['upgrade', 'head'], ['current'], ['stamp', 'head']]) {
      expectOneLineError(
        await runCli(['-x', 'db=dev', ...args], { cwd: project.dir }),
        2,
        /"crmp"\."alembic_version" is not a version table in Alembic's layout: it has no version_num column \(its columns: rev\)\. Set version_table/,
      );
    }
  });

  it('a version table that holds a revision and its ancestor', async () => {
    await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir });
    await exec(db.url, "insert into crmp.alembic_version values ('aaaa00000001')");
    before = dumpAll(db.url);
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /holds aaaa00000001 and aaab00000002, but aaaa00000001 is an ancestor of aaab00000002: .* "migrate stamp --purge aaab00000002"/,
    );
  });

  describe('a login user without the privileges it needs', () => {
    const user = `retort_bad_${Math.random().toString(36).slice(2, 8)}`;
    const as = () => {
      const u = new URL(db.url);
      u.username = user;
      return u.toString();
    };
    /** Runs the check, then drops the role (the outer hook compares the dump with the one before the command). */
    const withRole = async (grants: string, check: () => Promise<void>) => {
      await exec(db.url, `create role "${user}" login; ${grants}`);
      try {
        before = dumpAll(db.url);
        await check();
        expect(dumpAll(db.url), 'the database changed').to.equal(before);
      } finally {
        await exec(db.url, `drop owned by "${user}"; drop role if exists "${user}"`);
        before = dumpAll(db.url);
      }
    };

    it('may not write the version table: refused before any DDL, with the grant', async () => {
      await withRole(
        `grant usage, create on schema crmp to "${user}"; grant select on crmp.alembic_version, crmp.alembic_version_history to "${user}"`,
        async () => {
          const r = await runCli(['--url', as(), '-x', 'schema=crmp', 'upgrade', 'head'], { cwd: project.dir });
          expectOneLineError(
            r,
            2,
            new RegExp(`login user "${user}" may not write crmp\\.alembic_version .*GRANT SELECT, INSERT, UPDATE, DELETE ON crmp\\.alembic_version TO ${user}`),
          );
        },
      );
    });

    it('may not create in the schema: the revision is rolled back and the grant named, exit 2', async () => {
      await withRole(`grant usage on schema crmp to "${user}"; grant all on crmp.alembic_version, crmp.alembic_version_history to "${user}"`, async () => {
        const r = await runCli(['--url', as(), '-x', 'schema=crmp', 'upgrade', 'head'], { cwd: project.dir });
        expectOneLineError(
          r,
          2,
          new RegExp(
            `Revision aaab00000002 \\(create station\\) could not run: permission denied for schema crmp\\. Rolled back; schema "crmp" stays at aaaa00000001\\. The login user "${user}" .*GRANT USAGE, CREATE ON SCHEMA crmp TO ${user}`,
          ),
        );
      });
    });
  });

  it('a revision that only mentions asSuperuser in a comment needs no SU role', async () => {
    project.write({
      id: 'cccc00000003',
      down: 'aaab00000002',
      message: 'plain',
      up: '  // no need for ctx.asSuperuser here\n  await ctx.sql`select 1`.execute(ctx.db);',
    });
    const r = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint'], { cwd: project.dir });
    expect(r.code, r.stderr).to.equal(0);
    before = dumpAll(db.url);
  });

  it('a revision that imports a package that is not installed names the package and the file', async () => {
    project.write({ id: 'cccc00000003', down: 'aaab00000002', message: 'imports', extra: "import leftPad from 'left-pad-not-installed';\nvoid leftPad;" });
    expectOneLineError(
      await runCli(['-x', 'db=dev', 'upgrade', 'head'], { cwd: project.dir }),
      2,
      /cccc00000003_imports\.ts imports "left-pad-not-installed", which is not installed .* Run "npm install left-pad-not-installed"/,
    );
  });

  it('diff to a schema that does not exist (a typo must not turn into DROP TABLE of everything)', async () => {
    for (const args of [
      ['--from', 'dev:crmp', '--to', 'dev:crmq'],
      ['--from', 'dev:nope', '--to', 'dev:crmp'],
    ]) {
      const r = await runCli(['diff', ...args], { cwd: project.dir });
      expectOneLineError(r, 2, /Schema "(crmq|nope)" does not exist in .*: diff compares two existing schemas/);
      expect(r.stdout).not.to.match(/DROP/);
    }
  });

  it('usage errors exit 2', async () => {
    const r = await runCli(['upgrade', '--no-such-flag'], { cwd: project.dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/unknown option '--no-such-flag'/);
  });
});

describe('cli: the schema guard stops a revision that writes outside the target schema', () => {
  let db: TestDatabase;
  let project: TestProject;
  beforeEach(async () => {
    db = await createTestDatabase('guard');
    await exec(db.url, 'create schema t1; create schema t3');
    project = createProject({
      labels: { dev: db.url },
      alembic: { schema_name: 't3' },
      revisions: [
        tableRevision('aaaa00000001', null, 'network'),
        {
          id: 'aaab00000002',
          down: 'aaaa00000001',
          message: 'writes elsewhere',
          up: "  await ctx.db.schema.withSchema('t1').createTable('x').addColumn('id', 'integer').execute();",
        },
      ],
    });
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('rolls the command back (as a superuser, the role that may create event triggers), in each transaction mode', async () => {
    const before = dumpAll(db.url);
    for (const mode of [[], ['--transaction-per-revision']]) {
      const r = await runCli(['-x', 'db=dev', 'upgrade', 'head', '--no-lint', '--allow-lint-errors', ...mode], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(
        /Revision aaab00000002 \(writes elsewhere\) failed during upgrade: the revision changed table t1\.x outside the target schema "t3" \(Retort's schema guard\)/,
      );
      expect((await exec<{ n: number }>(db.url, "select count(*)::int as n from pg_class where relname = 'x'"))[0]!.n).to.equal(0);
      expect((await exec<{ n: number }>(db.url, 'select count(*)::int as n from pg_event_trigger'))[0]!.n, 'no trigger is left behind').to.equal(0);
      if (mode.length === 0) expect(dumpAll(db.url)).to.equal(before);
    }
  });
});
