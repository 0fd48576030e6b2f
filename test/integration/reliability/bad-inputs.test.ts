/**
 * Bad inputs, table-driven. Every case runs three times (plain, --json, --debug) and each run must:
 * exit 2 (a user mistake) or 1 (a failure); print exactly one stderr line, `migrate: error: ...`,
 * naming the thing (plus, under --debug, the stack after it); print valid JSON with ok:false on
 * stdout under --json; leave `pg_dump --schema-only` of the database byte-identical; and never print
 * the password the command was given (in a URL, a keyword DSN, ${ENV} expansion or PGPASSWORD).
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject, dumpSchema, revisionSource, tableRevision, type RevisionSpec, type TestProject } from '../../support/cli';
import { createTestDatabase, query, type TestDatabase } from '../../support/database';
import { startCli } from './harness';

const rand = randomBytes(4).toString('hex');
const PW = `s3cr3t-${rand}-pw`;
const ROLE = `retort_badin_${rand}`;

/** How the command gets the password: each case uses one, in turn, so every form is tried. */
type Via = 'ini-url' | 'env-expansion' | 'pgpassword' | 'url' | 'keyword-dsn';
const VIAS: readonly Via[] = ['ini-url', 'env-expansion', 'pgpassword', 'url', 'keyword-dsn'];

interface Setup {
  readonly db: TestDatabase;
  /** The database URL with the role and its password. */
  readonly url: string;
  readonly keywordDsn: string;
  /** The shared project: revisions aaaa -> aaab -> aaac; schema crmp is at aaab00000002. */
  readonly main: TestProject;
  readonly silentPort: number;
  readonly authPort: number;
  readonly tmp: string;
}

interface Run {
  /** Arguments after the global options that pick the database (see {@link Via}). */
  readonly args: readonly string[];
  /** False: the case names its database itself (or none), so no -x db=/--url is added. */
  readonly pickDatabase?: boolean;
  readonly env?: Record<string, string>;
  /** Working directory (default: the shared project). */
  readonly cwd?: string;
}

interface BadCase {
  readonly name: string;
  /** 2: a user mistake; 1: a failure. */
  readonly code: 1 | 2;
  /** What the one line must say (after `migrate: error: `). */
  readonly message: RegExp;
  /** Lines allowed before the error line (lint findings of the lint gate). */
  readonly preceding?: RegExp;
  readonly run: (s: Setup) => Run;
  /** Builds files the case needs (a project of its own); removed after the case. */
  readonly files?: (s: Setup) => string;
}

const chainRevisions: RevisionSpec[] = [
  tableRevision('aaaa00000001', null, 'network'),
  tableRevision('aaab00000002', 'aaaa00000001', 'station'),
  tableRevision('aaac00000003', 'aaab00000002', 'history'),
];

/** A project of its own, like the shared one, plus `extra` revisions or files. */
function ownProject(s: Setup, options: { revisions?: readonly RevisionSpec[]; alembic?: Record<string, string>; files?: Record<string, string> } = {}): string {
  const p = createProject({ labels: labels(s), alembic: options.alembic ?? {}, revisions: [...chainRevisions, ...(options.revisions ?? [])] });
  for (const [name, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(p.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(p.dir, name), text);
  }
  return p.dir;
}

function labels(s: { readonly url: string }): Record<string, string> {
  const u = new URL(s.url);
  return {
    dev: s.url,
    envpw: `postgresql://${ROLE}:\${BAD_DB_PW}@${u.host}${u.pathname}`,
    pgpw: `postgresql://${ROLE}@${u.host}${u.pathname}`,
  };
}

/** Global options and environment that pick the test database with the password in the given form. */
function pick(s: Setup, via: Via): { args: string[]; env: Record<string, string> } {
  switch (via) {
    case 'ini-url':
      return { args: ['-x', 'db=dev'], env: {} };
    case 'env-expansion':
      return { args: ['-x', 'db=envpw'], env: { BAD_DB_PW: PW } };
    case 'pgpassword':
      return { args: ['-x', 'db=pgpw'], env: { PGPASSWORD: PW } };
    case 'url':
      return { args: ['--url', s.url], env: {} };
    case 'keyword-dsn':
      return { args: ['--url', s.keywordDsn], env: {} };
  }
}

const rev = (id: string, down: string | null, body: Partial<RevisionSpec> = {}): RevisionSpec => ({ id, down, message: `revision ${id}`, ...body });

const CASES: readonly BadCase[] = [
  // alembic.ini
  {
    name: 'garbage alembic.ini',
    code: 2,
    message: /garbage\.ini: line 1: .*binary data \(is this an ini file\?\)\. Fix the file/,
    files: (s) => ownProject(s, { files: { 'garbage.ini': `\u0000\u0001PK\u0003\u0004${randomBytes(64).toString('binary')}\n\u0000junk` } }),
    run: () => ({ args: ['-c', 'garbage.ini', 'current'] }),
  },
  {
    name: 'a line that is not ini',
    code: 2,
    message: /bad\.ini: line 4: "not a url line" is not a \[section\] header, a key = value line or a comment/,
    files: (s) => ownProject(s, { files: { 'bad.ini': `[alembic]\nscript_location = revisions\n[dev]\nnot a url line\nsqlalchemy.url = ${s.url}\n` } }),
    run: () => ({ args: ['-c', 'bad.ini', 'current'], pickDatabase: false }),
  },
  {
    name: 'a section that appears twice',
    code: 2,
    message: /dup\.ini: line 5: section \[dev\] appears twice \(first on line 3\)/,
    files: (s) =>
      ownProject(s, { files: { 'dup.ini': `[alembic]\nscript_location = revisions\n[dev]\nsqlalchemy.url = ${s.url}\n[dev]\nsqlalchemy.url = ${s.url}\n` } }),
    run: () => ({ args: ['-c', 'dup.ini', '-x', 'db=dev', 'upgrade', 'head'], pickDatabase: false }),
  },
  {
    name: 'a key set twice',
    code: 2,
    message: /dupkey\.ini: line 4: key "sqlalchemy\.url" is set twice in \[dev\] \(first on line 3\)/,
    files: (s) => ownProject(s, { files: { 'dupkey.ini': `[alembic]\n[dev]\nsqlalchemy.url = ${s.url}\nsqlalchemy.url = ${s.url}x\n` } }),
    run: () => ({ args: ['-c', 'dupkey.ini', '-x', 'db=dev', 'current'], pickDatabase: false }),
  },
  {
    name: 'an ini file that does not exist',
    code: 2,
    message: /Cannot read .*nowhere\.ini: ENOENT.*Pass -c <file> or run "migrate init"/,
    run: () => ({ args: ['-c', 'nowhere.ini', 'current'] }),
  },
  // -x and global options
  {
    name: 'unknown -x key',
    code: 2,
    message: /-x color=\.\.\. is not a known key\. Known keys: db, schema, su_role/,
    run: () => ({ args: ['-x', 'color=red', 'upgrade', 'head'] }),
  },
  {
    name: '-x schema given twice',
    code: 2,
    message: /-x schema= is given twice \(crmp, then nc\)\. Give it once; name several with commas, e\.g\. -x schema=crmp,nc/,
    run: () => ({ args: ['-x', 'schema=crmp', '-x', 'schema=nc', 'upgrade', 'head'] }),
  },
  {
    name: '-x db without =',
    code: 2,
    message: /-x db is not key=value: -x takes key=value, e\.g\. -x db=dev\./,
    run: () => ({ args: ['-x', 'db', 'upgrade', 'head'], pickDatabase: false }),
  },
  {
    name: 'unknown label',
    code: 2,
    message: /unknown database label "prod"\. Labels in .*alembic\.ini: dev, envpw, pgpw/,
    run: () => ({ args: ['-x', 'db=prod', 'upgrade', 'head'], pickDatabase: false }),
  },
  { name: 'no database given', code: 2, message: /no database given\..*-x db=<label>/, run: () => ({ args: ['upgrade', 'head'], pickDatabase: false }) },
  {
    name: '--lock-timeout not a number',
    code: 2,
    message: /abc is not a positive number \(--lock-timeout/,
    run: () => ({ args: ['--lock-timeout', 'abc', 'upgrade', 'head'] }),
  },
  { name: '--jobs 0', code: 2, message: /0 is not a positive number \(--lock-timeout, --jobs\)/, run: () => ({ args: ['--jobs', '0', 'upgrade', 'head'] }) },
  {
    name: '--jobs negative',
    code: 2,
    message: /-3 is not a positive number \(--lock-timeout, --jobs\)/,
    run: () => ({ args: ['--jobs', '-3', 'upgrade', 'head'] }),
  },
  {
    name: 'an unknown option',
    code: 2,
    message: /unknown option '--no-such-flag'\. Run "migrate upgrade --help" for usage\./,
    run: () => ({ args: ['upgrade', '--no-such-flag'] }),
  },
  {
    name: 'a missing argument',
    code: 2,
    message: /missing required argument 'revision'\. Run "migrate downgrade --help" for usage\./,
    run: () => ({ args: ['downgrade'] }),
  },
  // schema names
  {
    name: 'empty schema name',
    code: 2,
    message: /schema name "" is empty\. Set SCHEMA_NAME or -x schema=<name>/,
    run: () => ({ args: ['-x', 'schema=', 'upgrade', 'head'] }),
  },
  {
    name: 'hostile schema name',
    code: 2,
    message: /schema name "a\\"; drop table x; --" is not a valid identifier/,
    run: () => ({ args: ['upgrade', 'head'], env: { SCHEMA_NAME: 'a"; drop table x; --' } }),
  },
  {
    name: 'schema name longer than 63 bytes',
    code: 2,
    message: /schema name "a{64}" is not a valid identifier \(.*at most 63 characters\)/,
    run: () => ({ args: ['-x', `schema=${'a'.repeat(64)}`, 'upgrade', 'head'] }),
  },
  ...['pg_catalog', 'pg_toast', 'information_schema'].map((schema): BadCase => ({
    name: `${schema} as target`,
    code: 2,
    message: new RegExp(`schema "${schema}" is one of PostgreSQL's own`),
    run: () => ({ args: ['-x', `schema=${schema}`, 'upgrade', 'head'] }),
  })),
  {
    name: 'a schema that does not exist',
    code: 2,
    message: /Schema "nope" does not exist in .*--create-schema/,
    run: () => ({ args: ['-x', 'schema=nope', 'upgrade', 'head'] }),
  },
  // revision arguments
  {
    name: 'unknown revision',
    code: 2,
    message: /Cannot resolve "ffff": no revision id, id prefix or branch label matches "ffff"/,
    run: () => ({ args: ['upgrade', 'ffff'] }),
  },
  { name: 'ambiguous prefix', code: 2, message: /"aaa".*aaaa00000001.*aaab00000002/, run: () => ({ args: ['upgrade', 'aaa'] }) },
  {
    name: 'upgrade below current',
    code: 2,
    message: /Cannot upgrade to aaaa00000001: it is below the current heads \(aaab00000002\).*downgrade aaaa00000001/,
    run: () => ({ args: ['upgrade', 'aaaa00000001'] }),
  },
  {
    name: 'downgrade above current',
    code: 2,
    message: /Cannot downgrade to aaac00000003: it is not applied/,
    run: () => ({ args: ['downgrade', 'aaac00000003'] }),
  },
  { name: 'upgrade +99', code: 2, message: /Cannot resolve "\+99"/, run: () => ({ args: ['upgrade', '+99'] }) },
  { name: 'downgrade -99', code: 2, message: /Cannot resolve "-99"/, run: () => ({ args: ['downgrade', '-99'] }) },
  { name: 'stamp to an unknown revision', code: 2, message: /Cannot resolve "feedfeedfeed"/, run: () => ({ args: ['stamp', 'feedfeedfeed'] }) },
  // the version table and privileges
  {
    name: 'version table in the wrong layout',
    code: 2,
    message: /"wl"\."alembic_version" is not a version table in Alembic's layout: it has no version_num column \(its columns: rev\)/,
    run: () => ({ args: ['-x', 'schema=wl', 'upgrade', 'head'] }),
  },
  {
    name: 'version table holding an ancestor and its descendant',
    code: 2,
    message: /holds aaaa00000001 and aaab00000002, but aaaa00000001 is an ancestor of aaab00000002/,
    run: () => ({ args: ['-x', 'schema=anc', 'upgrade', 'head'] }),
  },
  {
    name: 'version table naming a revision no file defines',
    code: 2,
    message: /is at revision feedfeedfeed, which no file in .* defines/,
    run: () => ({ args: ['-x', 'schema=unk', 'upgrade', 'head'] }),
  },
  {
    name: 'version table the login user may not write',
    code: 2,
    message: new RegExp(`login user "${ROLE}" may not write ro\\.alembic_version .*GRANT SELECT, INSERT, UPDATE, DELETE ON ro\\.alembic_version TO ${ROLE}`),
    run: () => ({ args: ['-x', 'schema=ro', 'upgrade', 'head'] }),
  },
  {
    name: 'no CREATE on the schema',
    code: 2,
    message: new RegExp(
      `could not run: permission denied for schema nc\\. Rolled back; schema "nc" stays at aaaa00000001\\..*GRANT USAGE, CREATE ON SCHEMA nc TO ${ROLE}`,
    ),
    run: () => ({ args: ['-x', 'schema=nc', 'upgrade', 'head'] }),
  },
  // backup
  {
    name: 'backup --dir that is a file',
    code: 2,
    message: /Cannot keep backups in .*afile: .*afile is a file, not a folder\. Pass --dir/,
    run: (s) => ({ args: ['upgrade', 'head', `--backup=${path.join(s.tmp, 'afile')}`] }),
  },
  {
    name: 'backup --dir under /proc',
    code: 2,
    message: /Cannot keep backups in \/proc\/retort-backups: \/proc is on a system pseudo-filesystem/,
    run: () => ({ args: ['upgrade', 'head', '--backup=/proc/retort-backups'] }),
  },
  // revision files
  {
    name: 'missing npm import in a revision',
    code: 2,
    message: /cccc00000004_revision_cccc00000004\.ts imports "left-pad-not-installed", which is not installed .*npm install left-pad-not-installed/,
    files: (s) =>
      ownProject(s, { revisions: [rev('cccc00000004', 'aaac00000003', { extra: "import leftPad from 'left-pad-not-installed';\nvoid leftPad;" })] }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'syntax error in a revision',
    code: 2,
    message: /cccc00000004_broken\.ts:1:\d+ does not compile/,
    files: (s) => ownProject(s, { files: { 'revisions/cccc00000004_broken.ts': 'export const revision = ;\n' } }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'revision that throws at load',
    code: 2,
    message: /cccc00000004_throws\.ts failed to load: nope at load/,
    files: (s) => ownProject(s, { files: { 'revisions/cccc00000004_throws.ts': "throw new Error('nope at load');\n" } }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'revision that throws while it runs',
    code: 1,
    message: /Revision cccc00000004 \(revision cccc00000004\) failed during upgrade: disk on fire\. Rolled back; schema "crmp" stays at aaab00000002/,
    files: (s) =>
      ownProject(s, {
        revisions: [
          rev('cccc00000004', 'aaac00000003', {
            up: "  await ctx.db.schema.withSchema(ctx.schema).createTable('partial').addColumn('id', 'integer').execute();\n  throw new Error('disk on fire');",
          }),
        ],
      }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'duplicate revision ids in two files',
    code: 2,
    message: /cccc00000004.*(one_cccc|two_cccc).*(one_cccc|two_cccc)/,
    files: (s) => {
      const dir = ownProject(s);
      fs.writeFileSync(path.join(dir, 'revisions', 'one_cccc.ts'), revisionSource(tableRevision('cccc00000004', 'aaac00000003', 'obs')));
      fs.writeFileSync(path.join(dir, 'revisions', 'two_cccc.ts'), revisionSource(tableRevision('cccc00000004', 'aaac00000003', 'obs2')));
      return dir;
    },
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'a cycle in down_revision',
    code: 2,
    message: /Revisions (cccc00000004 -> dddd00000005 -> cccc00000004|dddd00000005 -> cccc00000004 -> dddd00000005) form a cycle/,
    files: (s) => ownProject(s, { revisions: [rev('cccc00000004', 'dddd00000005'), rev('dddd00000005', 'cccc00000004')] }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'a missing down revision',
    code: 2,
    message: /cccc00000004.*deadbeef0000/,
    files: (s) => ownProject(s, { revisions: [tableRevision('cccc00000004', 'deadbeef0000', 'obs')] }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'two heads without a merge, upgrade head',
    code: 2,
    message: /cccc00000004.*dddd00000005|dddd00000005.*cccc00000004/,
    files: (s) => ownProject(s, { revisions: [tableRevision('cccc00000004', 'aaac00000003', 'obs'), tableRevision('dddd00000005', 'aaac00000003', 'obs2')] }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'a revision that needs the superuser role when none is set',
    code: 2,
    message: /Revision cccc00000004 needs a superuser role and none is set\. Set SU_ROLE_NAME/,
    files: (s) =>
      ownProject(s, { revisions: [rev('cccc00000004', 'aaac00000003', { up: '  await ctx.asSuperuser((db) => ctx.sql`select 1`.execute(db));' })] }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  {
    name: 'lint error in a pending revision',
    code: 2,
    message: /^migrate: error: 1 lint error in pending revision cccc00000004; fix it or pass --allow-lint-errors$/,
    preceding: /^lint: revisions\/cccc00000004_revision_cccc00000004\.ts:\d+ literal-schema: withSchema\('t1'\) names schema "t1" literally/,
    files: (s) =>
      ownProject(s, {
        revisions: [
          rev('cccc00000004', 'aaac00000003', { up: "  await ctx.db.schema.withSchema('t1').createTable('x').addColumn('id', 'integer').execute();" }),
        ],
      }),
    run: () => ({ args: ['upgrade', 'head'] }),
  },
  // connections
  {
    name: 'unreachable host (accepts TCP, never answers)',
    code: 2,
    message:
      /Cannot connect to the database \(postgresql:\/\/retort_badin_\w+:\*\*\*@127\.0\.0\.1:\d+\/x\?connect_timeout=2\): 127\.0\.0\.1:\d+ did not answer within 2 s/,
    run: (s) => ({ args: ['--url', `postgresql://${ROLE}:${PW}@127.0.0.1:${s.silentPort}/x?connect_timeout=2`, 'upgrade', 'head'], pickDatabase: false }),
  },
  {
    name: 'wrong password',
    code: 2,
    message: /password authentication failed for user/,
    run: (s) => ({ args: ['--url', `postgresql://${ROLE}:${PW}@127.0.0.1:${s.authPort}/x?connect_timeout=5`, 'current'], pickDatabase: false }),
  },
  {
    name: 'DATABASE_URL of a server that refuses connections',
    code: 2,
    message: /Cannot connect to the database \(postgresql:\/\/retort_badin_\w+:\*\*\*@127\.0\.0\.1:1\/x\): connect ECONNREFUSED 127\.0\.0\.1:1/,
    run: () => ({ args: ['current'], pickDatabase: false, env: { DATABASE_URL: `postgresql://${ROLE}:${PW}@127.0.0.1:1/x` } }),
  },
  {
    name: 'a database that does not exist',
    code: 2,
    message: /database "retort_nope_\w+" does not exist/,
    run: (s) => {
      const u = new URL(s.url);
      u.pathname = `/retort_nope_${rand}`;
      return { args: ['--url', u.toString(), 'current'], pickDatabase: false };
    },
  },
  {
    name: '--url that is not PostgreSQL',
    code: 2,
    message: /mysql:\/\/u:\*\*\*@h\/db is not usable/,
    run: () => ({ args: ['--url', `mysql://u:${PW}@h/db`, 'current'], pickDatabase: false }),
  },
  {
    name: 'keyword DSN with a bad key',
    code: 2,
    message: /database address host=127\.0\.0\.1 password=\*\*\* colour=red dbname=x is not usable \(unknown keyword colour\)/,
    run: () => ({ args: ['--url', `host=127.0.0.1 password=${PW} colour=red dbname=x`, 'current'], pickDatabase: false }),
  },
  {
    name: 'sslmode that libpq does not know',
    code: 2,
    message: /sslmode=bogus is not one of disable, allow, prefer, require, verify-ca, verify-full/,
    run: (s) => ({ args: ['--url', `${s.url}?sslmode=bogus`, 'current'], pickDatabase: false }),
  },
  {
    name: 'a URL that does not parse',
    code: 2,
    message: /database address postgresql:\/\/retort_badin_\w+:\*\*\*@\[::1\/db is not usable \(it does not parse as a URL\)/,
    run: () => ({ args: ['--url', `postgresql://${ROLE}:${PW}@[::1/db`, 'current'], pickDatabase: false }),
  },
  {
    name: 'keyword DSN with an unclosed quote',
    code: 2,
    message: /the value of "password" opens a quote it does not close/,
    run: () => ({ args: ['--url', `host=127.0.0.1 password='${PW} dbname=x`, 'current'], pickDatabase: false }),
  },
  {
    name: 'a server setting the server refuses',
    code: 2,
    message: /invalid value for parameter "statement_timeout": "bogus"/,
    run: (s) => ({ args: ['--url', `${s.url}?options=${encodeURIComponent('-c statement_timeout=bogus')}`, 'current'], pickDatabase: false }),
  },
  {
    name: 'a hostile su_role',
    code: 2,
    message: /role name "bad\\"role" is not a valid identifier/,
    run: () => ({ args: ['-x', 'su_role=bad"role', 'upgrade', 'head'] }),
  },
  {
    name: 'an su_role that does not exist',
    code: 2,
    message: /Role "no_such_role_xyz" \(.*\) does not exist in database/,
    files: (s) =>
      ownProject(s, { revisions: [rev('cccc00000004', 'aaac00000003', { up: '  await ctx.asSuperuser((db) => ctx.sql`select 1`.execute(db));' })] }),
    run: () => ({ args: ['-x', 'su_role=no_such_role_xyz', 'upgrade', 'head'] }),
  },
  // other commands
  { name: 'an unknown command', code: 2, message: /unknown command 'upgrad'/, run: () => ({ args: ['upgrad', 'head'] }) },
  {
    name: 'downgrade --sql without a starting point',
    code: 2,
    message: /downgrade --sql needs a starting point: write <from>:<to>/,
    run: () => ({ args: ['downgrade', '--sql', 'aaaa00000001'] }),
  },
  { name: 'upgrade --sql from an unknown revision', code: 2, message: /Cannot resolve "zz"/, run: () => ({ args: ['upgrade', '--sql', 'zz:head'] }) },
  { name: 'show an unknown revision', code: 2, message: /Cannot resolve "nope"/, run: () => ({ args: ['show', 'nope'] }) },
  { name: 'history with a range of unknown revisions', code: 2, message: /Cannot resolve "(zz|yy)"/, run: () => ({ args: ['history', '-r', 'zz:yy'] }) },
  {
    name: 'merge with a single head',
    code: 2,
    message: /Nothing to merge: there is only one head \(aaac00000003\)/,
    run: () => ({ args: ['merge', '-m', 'x'] }),
  },
  {
    name: 'revision --head of an unknown revision',
    code: 2,
    message: /Cannot resolve "nope"/,
    files: (s) => ownProject(s),
    run: () => ({ args: ['revision', '-m', 'x', '--head', 'nope'] }),
  },
  {
    name: 'lint of a file that is not a revision',
    code: 2,
    message: /nothere\.ts is not a revision in .*revisions/,
    run: () => ({ args: ['lint', 'nothere.ts'] }),
  },
  {
    name: '--schemas matching no schema',
    code: 2,
    message: /--schemas zz\* matches no schema/,
    run: () => ({ args: ['--schemas', 'zz*', 'upgrade', 'head'] }),
  },
  {
    name: 'restore of a file that does not exist',
    code: 2,
    message: /nonexistent\.dump does not exist/,
    run: (s) => ({ args: ['restore', path.join(s.tmp, 'nonexistent.dump')] }),
  },
  {
    name: 'restore of a file that is not a dump',
    code: 2,
    message: /pg_restore failed to read .*garbage\.dump/,
    run: (s) => ({ args: ['restore', path.join(s.tmp, 'garbage.dump')] }),
  },
  {
    name: 'diff --to a schema that does not exist',
    code: 2,
    message: /Schema "missing_schema" does not exist in .*diff compares two existing schemas/,
    run: () => ({ args: ['diff', '--from', 'dev:crmp', '--to', 'dev:missing_schema'], pickDatabase: false }),
  },
  {
    name: 'revision --autogenerate with no model configured',
    code: 2,
    message: /No model is configured in .*alembic\.ini\. Add "model = <module>"/,
    files: (s) => ownProject(s),
    run: () => ({ args: ['revision', '--autogenerate', '-m', 'x'] }),
  },
  {
    name: 'a model file that throws',
    code: 2,
    message: /model\.ts.*model on fire/,
    files: (s) => ownProject(s, { alembic: { model: 'model.ts' }, files: { 'model.ts': "throw new Error('model on fire');\n" } }),
    run: () => ({ args: ['revision', '--autogenerate', '-m', 'x'] }),
  },
  {
    name: 'pull -o onto an existing file without --force',
    code: 2,
    message: /existing\.ts already exists: pull would replace it\. Pass --force/,
    files: (s) => ownProject(s, { files: { 'existing.ts': '// mine\n' } }),
    run: () => ({ args: ['pull', '-o', 'existing.ts'] }),
  },
];

describe('reliability: bad inputs', function () {
  this.timeout(60_000);
  let s: Setup;
  let baseline: string;
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();

  before(async function () {
    this.timeout(120_000);
    const db = await createTestDatabase('badin');
    await query(
      db.url,
      `create role "${ROLE}" login password '${PW}'; alter database "${db.name}" owner to "${ROLE}"; create schema crmp authorization "${ROLE}"`,
    );
    const u = new URL(db.url);
    u.username = ROLE;
    u.password = PW;
    const url = u.toString();
    const keywordDsn = `host=${u.hostname} port=${u.port || 5432} user=${ROLE} password=${PW} dbname=${db.name}`;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retort-badin-'));
    fs.writeFileSync(path.join(tmp, 'afile'), 'not a folder\n');
    fs.writeFileSync(path.join(tmp, 'garbage.dump'), 'garbage\n');
    const silentPort = await listen((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const authPort = await listen(refusePassword);
    const main = createProject({ labels: labels({ url }), revisions: chainRevisions });
    s = { db, url, keywordDsn, main, silentPort, authPort, tmp };
    const setup = async (args: string[], admin = false) => {
      const r = await startCli([...(admin ? ['--url', db.url] : ['-x', 'db=dev']), ...args], { cwd: main.dir, limitMs: 60_000 }).done;
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
    };
    await setup(['upgrade', 'aaab00000002']);
    await setup(['-x', 'schema=anc', 'upgrade', 'aaab00000002', '--create-schema']);
    await setup(['-x', 'schema=unk', 'upgrade', 'aaaa00000001', '--create-schema']);
    await setup(['-x', 'schema=ro', 'upgrade', 'aaaa00000001', '--create-schema'], true);
    await setup(['-x', 'schema=nc', 'upgrade', 'aaaa00000001', '--create-schema'], true);
    await query(
      db.url,
      [
        "insert into anc.alembic_version values ('aaaa00000001')",
        "update unk.alembic_version set version_num = 'feedfeedfeed'",
        'create schema wl',
        `alter schema wl owner to "${ROLE}"`,
        'create table wl.alembic_version (rev varchar(32) primary key)',
        `alter table wl.alembic_version owner to "${ROLE}"`,
        `grant usage, create on schema ro to "${ROLE}"`,
        `grant select on ro.alembic_version, ro.alembic_version_history to "${ROLE}"`,
        `grant usage on schema nc to "${ROLE}"`,
        `grant all on nc.alembic_version, nc.alembic_version_history to "${ROLE}"`,
      ].join(';'),
    );
    baseline = dumpSchema(db.url);
  });

  after(async function () {
    this.timeout(30_000);
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
    if (!s) return;
    s.main.remove();
    fs.rmSync(s.tmp, { recursive: true, force: true });
    await s.db.drop();
    await query(s.db.url.replace(/\/[^/]*$/, '/postgres'), `drop role if exists "${ROLE}"`).catch(() => undefined);
  });

  /** A TCP listener on 127.0.0.1; resolves to its port. */
  function listen(onSocket: (socket: net.Socket) => void): Promise<number> {
    return new Promise((resolve) => {
      const server = net.createServer(onSocket);
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  }

  it(`has at least 40 distinct cases (${CASES.length})`, () => {
    expect(new Set(CASES.map((c) => c.name)).size).to.equal(CASES.length);
    expect(CASES.length).to.be.at.least(40);
  });

  CASES.forEach((c, i) => {
    const via = VIAS[i % VIAS.length]!;
    it(`${c.name} (password via ${via})`, async () => {
      const own = c.files?.(s);
      try {
        const run = c.run(s);
        const picked = run.pickDatabase === false ? { args: [], env: {} } : pick(s, via);
        const env = { ...picked.env, ...(run.env ?? {}) };
        const cwd = run.cwd ?? own ?? s.main.dir;
        // One after the other: at once, they would wait for each other's lock on the target and say so.
        for (const mode of ['plain', '--json', '--debug'] as const) {
          const args = [...(mode === 'plain' ? [] : [mode]), ...picked.args, ...run.args];
          const r = { mode, args, ...(await startCli(args, { cwd, env, limitMs: 30_000 }).done) };
          const what = `${r.mode}: migrate ${r.args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
          expect(r.stdout + r.stderr, `password printed (${what})`).to.not.include(PW);
          expect(r.code, what).to.equal(c.code);
          const lines = r.stderr.replace(/\n$/, '').split('\n');
          const errorAt = lines.findIndex((l) => l.startsWith('migrate: error: '));
          expect(errorAt, what).to.be.at.least(0);
          const preceding = lines.slice(0, errorAt);
          if (c.preceding) {
            expect(preceding, what).to.not.deep.equal([]);
            for (const l of preceding) expect(l, what).to.match(c.preceding);
          } else expect(preceding, what).to.deep.equal([]);
          if (r.mode !== '--debug') expect(errorAt, what).to.equal(lines.length - 1);
          else
            expect(
              lines.slice(errorAt + 1).filter((l) => l.startsWith('migrate: error: ')),
              what,
            ).to.deep.equal([]);
          expect(lines[errorAt], what).to.match(c.message);
          if (r.mode === '--json') {
            let parsed: { ok?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
            expect(() => (parsed = JSON.parse(r.stdout) as typeof parsed), what).to.not.throw();
            expect(parsed!.ok, what).to.equal(false);
            expect(`migrate: error: ${String(parsed!.error?.message)}`, what).to.equal(lines[errorAt]);
          }
        }
        expect(dumpSchema(s.db.url), 'the database changed').to.equal(baseline);
      } finally {
        if (own) fs.rmSync(own, { recursive: true, force: true });
      }
    });
  });
});

/**
 * A server that speaks just enough of PostgreSQL's protocol to ask for a password and refuse it, as
 * a server with password authentication does (the shared test server trusts local connections).
 */
function refusePassword(socket: net.Socket): void {
  let buffer = Buffer.alloc(0);
  let started = false;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!started) {
      if (buffer.length < 8) return;
      const length = buffer.readInt32BE(0);
      if (buffer.length < length) return;
      const code = buffer.readInt32BE(4);
      buffer = buffer.subarray(length);
      if (code === 80877103) {
        // SSLRequest: no SSL here.
        socket.write('N');
        return;
      }
      started = true;
      const ask = Buffer.alloc(9);
      ask.write('R', 0);
      ask.writeInt32BE(8, 1);
      ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
      socket.write(ask);
      return;
    }
    if (buffer.length < 5 || buffer[0] !== 0x70) return;
    const fields = Buffer.from(`SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "${ROLE}"\0\0`);
    const error = Buffer.alloc(5);
    error.write('E', 0);
    error.writeInt32BE(4 + fields.length, 1);
    socket.end(Buffer.concat([error, fields]));
  });
}
