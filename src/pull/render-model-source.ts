/**
 * A snapshot as the source of a schema-agnostic model module: what `migrate pull` writes.
 */
import { PACKAGE_NAME } from '../package-info';
import { normalizeSnapshot } from '../schema/normalize-snapshot';
import type { Snapshot, Table } from '../schema/snapshot';
import { quoteIdentIfNeeded } from '../schema/sql-text';
import {
  collationSource,
  columnGrantSources,
  domainSource,
  enumSource,
  extensionSource,
  grantSources,
  policySource,
  routineSource,
  sequenceSource,
  triggerSource,
  viewSource,
} from './object-source';
import { arrayLiteral, objectLiteral, SourceContext, type ModelSourceOptions } from './source-context';
import { serialSequence } from './table-source';
import { tableSource } from './table-source';
import { ConstNames, jsString } from './typescript-text';

export type { ModelSourceOptions } from './source-context';

/** Parents (partition parents and INHERITS parents of the schema) before their children; otherwise by name. */
function parentsFirst(tables: readonly Table[]): Table[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table) => {
    if (done.has(t.name)) return;
    done.add(t.name);
    const parents = [
      ...(t.partitionOf && t.partitionOf.parent.schema === null ? [t.partitionOf.parent.name] : []),
      ...t.inherits.filter((p) => p.schema === null).map((p) => p.name),
    ];
    for (const p of parents) {
      const parent = byName.get(p);
      if (parent) visit(parent);
    }
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

function section(title: string, declarations: readonly string[]): string[] {
  return declarations.length === 0 ? [] : [`// ${title}`, '', ...declarations.flatMap((d) => [d, ''])];
}

function importLine(uses: ReadonlySet<string>, from: string): string {
  const values = [...uses].filter((u) => !u.startsWith('type ')).sort();
  const types = [...uses].filter((u) => u.startsWith('type ')).sort();
  const names = [...values, ...types];
  const flat = `import { ${names.join(', ')} } from ${jsString(from)};`;
  return flat.length <= 100 ? flat : `import {\n${names.map((n) => `  ${n},`).join('\n')}\n} from ${jsString(from)};`;
}

/**
 * Writes a model module for everything in `snapshot`: one declaration per object, grouped by
 * kind (extensions, collations, enums, domains, sequences, tables, views, materialized views,
 * functions), then `export const model = defineModel({...})` with the triggers, policies and
 * grants, and `export type Db = DatabaseOf<typeof model>`. No schema name appears: routine
 * bodies name their schema through `${s.id}` and `${s.literal}`. Pure and deterministic: the
 * same snapshot gives the same bytes.
 *
 * @example
 * ```ts
 * const source = renderModelSource(await readSnapshot(db, 'crmp'), { suRole: 'crmpdba' });
 * // import { defineModel, integer, serial, sql, table, type DatabaseOf } from 'retort-migrate';
 * // ...
 * // const metaNetwork = table('meta_network', {
 * //   network_id: serial().primaryKey(),
 * // ...
 * // export const model = defineModel({ tables: [metaNetwork, ...], ... });
 * // export type Db = DatabaseOf<typeof model>;
 * ```
 * @throws RetortError `PULL_UNSUPPORTED` naming an object whose definition the DSL cannot say.
 */
export function renderModelSource(input: Snapshot, options: ModelSourceOptions = {}): string {
  const snapshot = normalizeSnapshot(input);
  const ctx = new SourceContext(snapshot, options);
  const names = new ConstNames([
    'sql',
    'table',
    'view',
    'materializedView',
    'pgFunction',
    'procedure',
    'trigger',
    'policy',
    'grant',
    'revoke',
    'sequence',
    'enumType',
    'enumColumn',
    'domain',
    'domainColumn',
    'collation',
    'extension',
    'column',
    'defineModel',
    'DatabaseOf',
    'PgInterval',
    'smallint',
    'integer',
    'bigint',
    'serial',
    'bigserial',
    'smallserial',
    'numeric',
    'real',
    'doublePrecision',
    'text',
    'varchar',
    'char',
    'boolean',
    'date',
    'timestamp',
    'timestamptz',
    'time',
    'timetz',
    'interval',
    'uuid',
    'bytea',
    'json',
    'jsonb',
  ]);
  const list = <T>(items: readonly T[], suffix: string, name: (item: T) => string) => items.map((item) => ({ item, name: names.take(name(item), suffix) }));

  const extensions = list(snapshot.extensions, 'Extension', (x) => x.name);
  const collations = list(snapshot.collations, 'Collation', (c) => c.name);
  const enums = list(snapshot.enums, 'Enum', (e) => e.name);
  const domains = list(snapshot.domains, 'Domain', (d) => d.name);
  for (const e of enums) ctx.enums.set(quoteIdentIfNeeded(e.item.name), e.name);
  for (const d of domains) ctx.domains.set(quoteIdentIfNeeded(d.item.name), d.name);
  const serials = new Set(snapshot.tables.flatMap((t) => t.columns.flatMap((c) => serialSequence(t, c, snapshot.sequences)?.name ?? [])));
  const identities = new Set(snapshot.tables.flatMap((t) => t.columns.flatMap((c) => c.identity?.sequenceName ?? [])));
  const sequences = list(
    snapshot.sequences.filter((s) => !serials.has(s.name) && !identities.has(s.name)),
    'Sequence',
    (s) => s.name,
  );
  const tables = list(parentsFirst(snapshot.tables), 'Table', (t) => t.name);
  for (const t of tables) ctx.tables.set(t.item.name, t.name);
  const views = list(
    snapshot.views.filter((v) => !v.materialized),
    'View',
    (v) => v.name,
  );
  const materialized = list(
    snapshot.views.filter((v) => v.materialized),
    'View',
    (v) => v.name,
  );
  const routines = snapshot.routines.map((r) => ({ item: r, name: names.take(r.name, r.kind === 'procedure' ? 'Procedure' : 'Function') }));

  const body = [
    ...section(
      'Extensions',
      extensions.map((x) => extensionSource(ctx, x.item, x.name)),
    ),
    ...section(
      'Collations',
      collations.map((c) => collationSource(ctx, c.item, c.name)),
    ),
    ...section(
      'Enums',
      enums.map((e) => enumSource(ctx, e.item, e.name)),
    ),
    ...section(
      'Domains',
      domains.map((d) => domainSource(ctx, d.item, d.name)),
    ),
    ...section(
      'Sequences',
      sequences.map((s) => sequenceSource(ctx, s.item, s.name)),
    ),
    ...section(
      'Tables',
      tables.map((t) => tableSource(ctx, t.item, t.name)),
    ),
    ...section(
      'Views',
      views.map((v) => viewSource(ctx, v.item, v.name)),
    ),
    ...section(
      'Materialized views',
      materialized.map((v) => viewSource(ctx, v.item, v.name)),
    ),
    ...section(
      'Functions and procedures',
      routines.map((r) => routineSource(ctx, r.item, r.name)),
    ),
  ];

  const triggers = snapshot.triggers.map((t) => triggerSource(ctx, t, '    '));
  const policies = snapshot.policies.map((p) => policySource(ctx, p, '    '));
  const grants = grantsOf(ctx, snapshot);
  const entries: [string, string | undefined][] = [
    ['extensions', arrayOf(extensions.map((x) => x.name))],
    ['collations', arrayOf(collations.map((c) => c.name))],
    ['enums', arrayOf(enums.map((e) => e.name))],
    ['domains', arrayOf(domains.map((d) => d.name))],
    ['sequences', arrayOf(sequences.map((s) => s.name))],
    [
      'tables',
      arrayOf(
        tables.map((t) => t.name),
        true,
      ),
    ],
    ['views', arrayOf(views.map((v) => v.name))],
    ['materializedViews', arrayOf(materialized.map((v) => v.name))],
    ['functions', arrayOf(routines.map((r) => r.name))],
    ['triggers', arrayOf(triggers)],
    ['policies', arrayOf(policies)],
    ['grants', arrayOf(grants)],
  ];
  if ([...body, ...triggers, ...policies].some((l) => l.includes('sql`'))) ctx.use('sql');
  const present = entries.filter((e): e is [string, string] => e[1] !== undefined);
  const lines = [
    '// The model of a schema as `migrate pull` read it from the database: schema-agnostic, build it',
    '// into any schema (createAll, `migrate setup`) and compare a database with it (`migrate check`).',
    importLine(ctx.uses, options.importFrom ?? PACKAGE_NAME),
    '',
    ...body,
    `export const model = defineModel({\n${present.map(([k, v]) => `  ${k}: ${v},`).join('\n')}\n});`,
    '',
    'export type Db = DatabaseOf<typeof model>;',
    '',
  ];
  return lines.join('\n');
}

/** An array of declarations in `defineModel`; `tables` is always there (the DSL needs it). */
function arrayOf(items: readonly string[], always = false): string | undefined {
  if (items.length === 0) return always ? '[]' : undefined;
  return arrayLiteral(items, '  ');
}

function grantsOf(ctx: SourceContext, snapshot: Snapshot): string[] {
  const indent = '    ';
  const out: string[] = [];
  const on = (entries: [string, string | undefined][]) => objectLiteral(entries);
  for (const t of snapshot.tables) {
    out.push(...grantSources(ctx, on([['table', jsString(t.name)]]), t.grants, indent));
    out.push(...columnGrantSources(ctx, t.name, t.columns, indent));
  }
  for (const v of snapshot.views) out.push(...grantSources(ctx, on([['table', jsString(v.name)]]), v.grants, indent));
  for (const s of snapshot.sequences) out.push(...grantSources(ctx, on([['sequence', jsString(s.name)]]), s.grants, indent));
  for (const r of snapshot.routines) {
    const overloaded = snapshot.routines.filter((x) => x.name === r.name).length > 1;
    out.push(
      ...grantSources(
        ctx,
        on([
          ['function', jsString(r.name)],
          ['args', overloaded ? jsString(r.argumentTypes) : undefined],
        ]),
        r.grants,
        indent,
      ),
    );
  }
  for (const t of [...snapshot.enums, ...snapshot.domains]) out.push(...grantSources(ctx, on([['type', jsString(t.name)]]), t.grants, indent));
  return out;
}
