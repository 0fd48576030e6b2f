/**
 * Sets up a database for Retort, like Alembic's "Creating a new database"
 * recipe: the database, a login user and a NOLOGIN superuser role granted to
 * it, extensions, schemas owned by the user, grants and default privileges.
 * Every step checks the catalog first, so running it again changes nothing.
 * The shell twin is development/init_test_db/common/create_scripts.sh.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { maskSecrets, maskUrl } from '../config/dsn';
import { DatabaseError, RetortError, describeError } from '../errors';
import { connectionSettings } from '../target/connection-settings';
import { acquireAdvisoryLock, releaseAdvisoryLock } from '../target/advisory-lock';
import { openSession, type Session } from '../target/session';
import { resolveInitOptions, type InitDatabaseOptions, type ResolvedInitOptions } from './init-options';

export { DEFAULT_EXTENSIONS, DEFAULT_OPTIONAL_EXTENSIONS, type InitDatabaseOptions } from './init-options';

/** The steps, in the order they run; error messages and reports name them. */
export type InitStep = 'connect' | 'database' | 'roles' | 'extensions' | 'schemas' | 'grants' | 'default privileges';

/** What happened to one object. `granted` is for statements that are always re-applied (grants are idempotent). */
export type InitOutcome = 'created' | 'existing' | 'changed' | 'granted' | 'skipped';

export interface InitItem {
  readonly step: InitStep;
  /** E.g. `database crmp`, `role tester`, `extension pgcrypto`, `membership crmpdba -> tester`. */
  readonly object: string;
  readonly outcome: InitOutcome;
  readonly detail?: string;
}

/** What {@link initDatabase} did, in order. */
export interface InitReport {
  readonly database: string;
  readonly items: readonly InitItem[];
  readonly created: readonly InitItem[];
  readonly existing: readonly InitItem[];
  readonly skipped: readonly InitItem[];
}

/** A step failed. `created` lists what this run had created before (it is not rolled back; a re-run skips it). */
export class DbInitError extends DatabaseError {
  readonly step: InitStep;
  readonly created: readonly InitItem[];
  constructor(step: InitStep, message: string, created: readonly InitItem[], cause: unknown) {
    super('DB_INIT_FAILED', message, { cause, exitCode: 1 });
    this.step = step;
    this.created = created;
  }
}

type Db = Kysely<any>;

/**
 * Creates what is missing and reports what existed. Connect as a superuser:
 * creating a SUPERUSER role needs one.
 *
 * SQL it runs (each only when the catalog says it is needed):
 * ```sql
 * create database "crmp";                               -- on serverUrl
 * create role "crmpdba" nologin superuser; create role "tester" login; grant "crmpdba" to "tester";
 * create extension if not exists "pgcrypto";            -- on the new database
 * create schema "crmp" authorization "tester";
 * grant connect, temporary on database "crmp" to "tester"; grant usage, create on schema "crmp" to "tester"; ...
 * alter default privileges for role "crmpdba" in schema "crmp" grant all on tables to "tester"; ...
 * ```
 *
 * @example
 * ```ts
 * const report = await initDatabase({ serverUrl: 'postgresql://postgres@localhost/postgres', database: 'crmp', schemas: ['crmp'], user: 'tester' });
 * report.created.map((i) => i.object) // ['database crmp', 'role crmpdba', 'role tester', ...]
 * ```
 */
export async function initDatabase(options: InitDatabaseOptions): Promise<InitReport> {
  const opts = resolveInitOptions(options);
  const items: InitItem[] = [];
  const note = (item: InitItem) => {
    items.push(item);
    opts.log(`${item.outcome.padEnd(8)} ${item.object}${item.detail ? ` (${item.detail})` : ''}`);
  };
  const run = async <T>(step: InitStep, object: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (cause) {
      if (cause instanceof DbInitError) throw cause;
      const created = items.filter((i) => i.outcome === 'created');
      const why = maskSecrets(describeError(cause), [opts.serverUrl]);
      const sofar = created.length ? created.map((i) => i.object).join(', ') : 'nothing';
      throw new DbInitError(
        step,
        `Database init failed at step "${step}" (${object}): ${why}. Created so far: ${sofar}. Fix the cause (connect as a superuser via ${maskUrl(opts.serverUrl)}) and run it again; finished steps are skipped.`,
        created,
        cause,
      );
    }
  };

  const admin = await run('connect', `server ${maskUrl(opts.serverUrl)}`, () => open(opts.serverUrl, 'the server'));
  try {
    // Two set-ups at once (two `-x db=local` commands on a fresh folder, two `db init`s) would both
    // see a role missing and both create it, or grant on one schema at once ("tuple concurrently
    // updated"): one at a time, each finding what the other made.
    const lock = await run('connect', `server ${maskUrl(opts.serverUrl)}`, () =>
      acquireAdvisoryLock(admin.db, PROVISIONING_KEY, { what: 'the provisioning lock of the server', database: 'the server', timeoutMs: 120_000 }),
    );
    await createDatabase(admin.db, opts, note, run);
    await createRoles(admin.db, opts, note, run);
    const targetUrl = urlForDatabase(opts.serverUrl, opts.database);
    const session = await run('connect', `database ${opts.database}`, () => open(targetUrl, `database ${opts.database}`));
    try {
      await createExtensions(session.db, opts, note, run);
      await createSchemas(session.db, opts, note, run);
      await grant(session.db, opts, note, run);
    } finally {
      await session.close();
    }
    await releaseAdvisoryLock(admin.db, lock).catch(() => undefined);
  } finally {
    await admin.close();
  }
  return {
    database: opts.database,
    items,
    created: items.filter((i) => i.outcome === 'created'),
    existing: items.filter((i) => i.outcome === 'existing'),
    skipped: items.filter((i) => i.outcome === 'skipped'),
  };
}

/** One key for every set-up on a server: roles are the whole server's, not one database's. */
const PROVISIONING_KEY = sql<string>`('x' || left(md5('retort provisioning'), 16))::bit(64)::bigint`;

type Note = (item: InitItem) => void;
type Run = <T>(step: InitStep, object: string, fn: () => Promise<T>) => Promise<T>;

/** One session (nothing here benefits from parallel connections); a failure reports the driver's own words. */
async function open(url: string, name: string): Promise<Session> {
  try {
    return await openSession({ settings: connectionSettings(url, process.env), name, baseDir: process.cwd(), applicationName: 'retort db init' });
  } catch (error) {
    throw error instanceof RetortError && error.cause !== undefined ? error.cause : error;
  }
}

/** The same server URL, on another database. */
export function urlForDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

async function exists(db: Db, query: RawBuilder<unknown>): Promise<boolean> {
  return (await query.execute(db)).rows.length > 0;
}

async function createDatabase(db: Db, o: ResolvedInitOptions, note: Note, run: Run): Promise<void> {
  const object = `database ${o.database}`;
  await run('database', object, async () => {
    if (await exists(db, sql`select 1 from pg_database where datname = ${o.database}`)) return note({ step: 'database', object, outcome: 'existing' });
    await sql`create database ${sql.id(o.database)}`.execute(db);
    note({ step: 'database', object, outcome: 'created' });
  });
}

async function createRoles(db: Db, o: ResolvedInitOptions, note: Note, run: Run): Promise<void> {
  const role = async (name: string, attrs: 'superuser' | 'login') => {
    const object = `role ${name}`;
    await run('roles', object, async () => {
      const { rows } = await sql<{ rolsuper: boolean; rolcanlogin: boolean }>`select rolsuper, rolcanlogin from pg_roles where rolname = ${name}`.execute(db);
      const found = rows[0];
      if (found) {
        // An existing role keeps its attributes: it may be shared with other databases.
        const lacking =
          attrs === 'superuser'
            ? !found.rolsuper && 'it is not SUPERUSER, so SET ROLE to it gives no extra privilege'
            : !found.rolcanlogin && 'it cannot LOGIN';
        return note({ step: 'roles', object, outcome: 'existing', ...(lacking ? { detail: lacking } : {}) });
      }
      if (attrs === 'superuser') await sql`create role ${sql.id(name)} nologin superuser`.execute(db);
      else await sql`create role ${sql.id(name)} login`.execute(db);
      note({ step: 'roles', object, outcome: 'created' });
    });
  };
  // Without an SU role (the project sets no su_role_name) there is none to create or grant.
  const suRole = o.suRole;
  if (suRole !== undefined) await role(suRole, 'superuser');
  await role(o.user, 'login');
  if (suRole === undefined) return;
  const object = `membership ${suRole} -> ${o.user}`;
  await run('roles', object, async () => {
    const member = sql`select 1 from pg_auth_members m
      join pg_roles granted on granted.oid = m.roleid  -- the role given away
      join pg_roles holder on holder.oid = m.member    -- the role that receives it
      where granted.rolname = ${suRole} and holder.rolname = ${o.user}`;
    if (await exists(db, member)) return note({ step: 'roles', object, outcome: 'existing' });
    await sql`grant ${sql.id(suRole)} to ${sql.id(o.user)}`.execute(db);
    note({ step: 'roles', object, outcome: 'created' });
  });
}

async function createExtensions(db: Db, o: ResolvedInitOptions, note: Note, run: Run): Promise<void> {
  const names = (q: RawBuilder<{ name: string }>) =>
    run('extensions', 'the extension catalog', async () => new Set((await q.execute(db)).rows.map((r) => r.name)));
  const installed = await names(sql<{ name: string }>`select extname as name from pg_extension`);
  const available = await names(sql<{ name: string }>`select name from pg_available_extensions`);
  for (const ext of o.extensions) {
    const object = `extension ${ext}`;
    await run('extensions', object, async () => {
      if (installed.has(ext)) return note({ step: 'extensions', object, outcome: 'existing' });
      if (!available.has(ext)) {
        throw new Error(`the server has no extension "${ext}"; install its package on the server or leave it out of the extension list`);
      }
      await sql`create extension if not exists ${sql.id(ext)}`.execute(db);
      note({ step: 'extensions', object, outcome: 'created' });
    });
  }
  for (const ext of o.optionalExtensions) {
    const object = `extension ${ext}`;
    if (installed.has(ext)) {
      note({ step: 'extensions', object, outcome: 'existing' });
    } else if (!available.has(ext)) {
      note({ step: 'extensions', object, outcome: 'skipped', detail: 'optional, not available on this server' });
    } else {
      try {
        await sql`create extension if not exists ${sql.id(ext)}`.execute(db);
        note({ step: 'extensions', object, outcome: 'created' });
      } catch (error) {
        // Listed but unusable, e.g. plpython3u whose libpython is missing.
        note({ step: 'extensions', object, outcome: 'skipped', detail: `optional, could not be created: ${describeError(error)}` });
      }
    }
  }
}

async function createSchemas(db: Db, o: ResolvedInitOptions, note: Note, run: Run): Promise<void> {
  for (const schema of o.schemas) {
    const object = `schema ${schema}`;
    await run('schemas', object, async () => {
      const { rows } = await sql<{ owner: string }>`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = ${schema}`.execute(db);
      const owner = rows[0]?.owner;
      if (owner === undefined) {
        await sql`create schema ${sql.id(schema)} authorization ${sql.id(o.user)}`.execute(db);
        return note({ step: 'schemas', object, outcome: 'created' });
      }
      if (owner === o.user) return note({ step: 'schemas', object, outcome: 'existing' });
      await sql`alter schema ${sql.id(schema)} owner to ${sql.id(o.user)}`.execute(db);
      note({ step: 'schemas', object, outcome: 'changed', detail: `owner was ${owner}` });
    });
  }
}

/**
 * The user owns its schemas, so these grants matter for what the superuser
 * role creates there during privileged revisions (functions in untrusted
 * languages, for instance): the user must be able to use those objects.
 */
async function grant(db: Db, o: ResolvedInitOptions, note: Note, run: Run): Promise<void> {
  const user = sql.id(o.user);
  const apply = async (step: InitStep, object: string, statement: RawBuilder<unknown>) => {
    await run(step, object, () => statement.execute(db));
    note({ step, object, outcome: 'granted' });
  };
  await apply(
    'grants',
    `connect, temporary on database ${o.database} to ${o.user}`,
    sql`grant connect, temporary on database ${sql.id(o.database)} to ${user}`,
  );
  for (const name of o.schemas) {
    const schema = sql.id(name);
    await apply('grants', `usage, create on schema ${name} to ${o.user}`, sql`grant usage, create on schema ${schema} to ${user}`);
    await apply('grants', `all on existing tables in ${name} to ${o.user}`, sql`grant all on all tables in schema ${schema} to ${user}`);
    await apply('grants', `all on existing sequences in ${name} to ${o.user}`, sql`grant all on all sequences in schema ${schema} to ${user}`);
    await apply('grants', `execute on existing routines in ${name} to ${o.user}`, sql`grant execute on all routines in schema ${schema} to ${user}`);
  }
  const suRole = o.suRole;
  if (suRole === undefined) return;
  for (const name of o.schemas) {
    const schema = sql.id(name);
    const su = sql.id(suRole);
    const object = (what: string) => `${what} created by ${suRole} in ${name} to ${o.user}`;
    await apply('default privileges', object('all on tables'), sql`alter default privileges for role ${su} in schema ${schema} grant all on tables to ${user}`);
    await apply(
      'default privileges',
      object('all on sequences'),
      sql`alter default privileges for role ${su} in schema ${schema} grant all on sequences to ${user}`,
    );
    await apply(
      'default privileges',
      object('execute on routines'),
      sql`alter default privileges for role ${su} in schema ${schema} grant execute on routines to ${user}`,
    );
    await apply(
      'default privileges',
      object('usage on types'),
      sql`alter default privileges for role ${su} in schema ${schema} grant usage on types to ${user}`,
    );
  }
}
