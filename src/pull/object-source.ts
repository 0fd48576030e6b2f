/** Declarations of the snapshot's objects other than tables, as the model DSL writes them. */
import { isSuperuserExtension } from '../model/extension';
import { sequenceOptions } from '../model/snapshot-texts';
import { keyKind, objectKey, routineKey } from '../schema/object-key';
import {
  READER_ROLE,
  type Collation,
  type Domain,
  type EnumType,
  type Extension,
  type Grant,
  type Grants,
  type Policy,
  type Routine,
  type Sequence,
  type Trigger,
  type View,
} from '../schema/snapshot';
import { typeScriptType } from './column-types';
import { readConstraint } from './parse-constraint';
import { readRoutine } from './parse-routine';
import { readTrigger } from './parse-trigger';
import { arrayLiteral, objectLiteral, sequenceNumber, strings, unsupported, type SourceContext } from './source-context';
import { collationCode, indexCode, typeCode } from './table-source';
import { jsString, propertyKey, sqlTemplate, unwrap } from './typescript-text';

type Entries = [string, string | undefined][];

const comment = (text: string | null): [string, string | undefined] => ['comment', text === null ? undefined : jsString(text)];

function optionsArgument(entries: Entries, indent = ''): string {
  const literal = objectLiteral(entries, indent);
  return literal === '{}' ? '' : `, ${literal}`;
}

export function extensionSource(ctx: SourceContext, x: Extension, name: string): string {
  ctx.use('extension');
  const entries: Entries = [
    ['schema', x.schema === null ? undefined : jsString(x.schema)],
    ['version', jsString(x.version)],
    ['privileged', x.privileged === isSuperuserExtension(x.name) ? undefined : String(x.privileged)],
  ];
  return `const ${name} = extension(${jsString(x.name)}${optionsArgument(entries)});`;
}

export function collationSource(ctx: SourceContext, c: Collation, name: string): string {
  ctx.use('collation');
  const entries: Entries = [
    ['provider', jsString(c.provider)],
    ['locale', c.locale === null ? undefined : jsString(c.locale)],
    ['lcCollate', c.lcCollate === null ? undefined : jsString(c.lcCollate)],
    ['lcCtype', c.lcCtype === null ? undefined : jsString(c.lcCtype)],
    ['deterministic', c.deterministic ? undefined : 'false'],
    comment(c.comment),
  ];
  return `const ${name} = collation(${jsString(c.name)}, ${objectLiteral(entries)});`;
}

export function enumSource(ctx: SourceContext, e: EnumType, name: string): string {
  ctx.use('enumType');
  const entries: Entries = [comment(e.comment), ['owner', ctx.owner(e.owner) === undefined ? undefined : jsString(e.owner!)]];
  return `const ${name} = enumType(${jsString(e.name)}, ${strings(e.labels)}${optionsArgument(entries)});`;
}

export function domainSource(ctx: SourceContext, d: Domain, name: string): string {
  ctx.use('domain');
  const checks = d.constraints.map((c) => {
    const p = readConstraint(c.definition);
    if (!p || p.kind !== 'check' || p.noInherit) unsupported(`Constraint ${c.name} of domain ${d.name}`, c.definition);
    return objectLiteral(
      [
        ['name', jsString(c.name)],
        ['expression', sqlTemplate(unwrap(p.expression))],
        ['notValid', p.notValid ? 'true' : undefined],
      ],
      '    ',
    );
  });
  const owner = ctx.owner(d.owner);
  const entries: Entries = [
    ['notNull', d.notNull ? 'true' : undefined],
    ['default', d.default === null ? undefined : sqlTemplate(d.default)],
    ['collation', d.collation === null ? undefined : collationCode(d.collation)],
    ['checks', checks.length === 0 ? undefined : arrayLiteral(checks, '  ')],
    comment(d.comment),
    ['owner', owner === undefined ? undefined : jsString(owner)],
  ];
  return `const ${name} = domain<${typeScriptType(d.baseType)}>(${jsString(d.name)}, ${jsString(d.baseType)}${optionsArgument(entries)});`;
}

export function sequenceSource(ctx: SourceContext, s: Sequence, name: string): string {
  ctx.use('sequence');
  const plain = sequenceOptions(s.dataType, { increment: s.increment }, s.name);
  const implied = sequenceOptions(s.dataType, { increment: s.increment, minValue: s.minValue, maxValue: s.maxValue }, s.name);
  const owner = ctx.owner(s.owner);
  const entries: Entries = [
    ['as', s.dataType === 'bigint' ? undefined : jsString(s.dataType)],
    ['start', s.start === implied.start ? undefined : sequenceNumber(s.start)],
    ['increment', s.increment === '1' ? undefined : sequenceNumber(s.increment)],
    ['minValue', s.minValue === plain.minValue ? undefined : sequenceNumber(s.minValue)],
    ['maxValue', s.maxValue === plain.maxValue ? undefined : sequenceNumber(s.maxValue)],
    ['cache', s.cache === '1' ? undefined : sequenceNumber(s.cache)],
    ['cycle', s.cycle ? 'true' : undefined],
    [
      'ownedBy',
      s.ownedBy
        ? objectLiteral([
            ['table', jsString(s.ownedBy.table)],
            ['column', jsString(s.ownedBy.column)],
          ])
        : undefined,
    ],
    comment(s.comment),
    ['owner', owner === undefined ? undefined : jsString(owner)],
  ];
  return `const ${name} = sequence(${jsString(s.name)}${optionsArgument(entries)});`;
}

/** Names of the snapshot's objects of `kinds` that `key` depends on. */
function dependsOn(ctx: SourceContext, key: string, kinds: readonly string[]): string[] {
  const out: string[] = [];
  for (const target of ctx.dependencies.get(key) ?? []) {
    if (!kinds.includes(keyKind(target))) continue;
    const name = ctx.names.get(target);
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out.sort();
}

export function viewSource(ctx: SourceContext, v: View, name: string): string {
  const fn = v.materialized ? 'materializedView' : 'view';
  ctx.use(fn);
  const columns = v.columns.map((c) => `    ${propertyKey(c.name)}: ${typeCode(ctx, c.type)}${c.comment === null ? '' : `.comment(${jsString(c.comment)})`},`);
  const owner = ctx.owner(v.owner);
  const after = dependsOn(ctx, objectKey.view(v.name), ['view']);
  const entries: Entries = [
    ['columns', columns.length === 0 ? undefined : `{\n${columns.join('\n')}\n  }`],
    ['dependsOn', after.length === 0 ? undefined : strings(after)],
    ['options', v.options.length === 0 ? undefined : strings(v.options)],
    comment(v.comment),
    ['owner', owner === undefined ? undefined : jsString(owner)],
    ['body', sqlTemplate(v.definition.trim().replace(/;$/, ''))],
  ];
  const indexes = v.indexes.map((i) => `\n  ${indexCode(v.name, i)}`).join('');
  return `const ${name} = ${fn}(${jsString(v.name)}, ${objectLiteral(entries)})${indexes};`;
}

export function routineSource(ctx: SourceContext, r: Routine, name: string): string {
  const p = readRoutine(r);
  if (!p) unsupported(`The ${r.kind} ${r.name}(${r.identityArguments})`, r.definition);
  const fn = r.kind === 'procedure' ? 'procedure' : 'pgFunction';
  ctx.use(fn);
  const args = p.args.map((a) =>
    objectLiteral([
      ['name', a.name === undefined ? undefined : jsString(a.name)],
      ['type', jsString(a.type)],
      ['mode', a.mode === 'in' ? undefined : jsString(a.mode)],
      ['default', a.default === undefined ? undefined : sqlTemplate(a.default)],
    ]),
  );
  const set = p.set.map(([key, value]): [string, string] => {
    const single = /^'((?:[^']|'')*)'$/.exec(value);
    return [key, single ? jsString(single[1]!.replace(/''/g, "'")) : sqlTemplate(value)];
  });
  const body =
    p.body.kind === 'source'
      ? sqlTemplate(p.body.text)
      : p.body.kind === 'library'
        ? objectLiteral([
            ['file', jsString(p.body.file)],
            ['symbol', jsString(p.body.symbol)],
          ])
        : objectLiteral([['atomic', sqlTemplate(p.body.text)]]);
  const owner = ctx.owner(r.owner, r.privileged);
  const after = dependsOn(ctx, routineKey(r), ['table', 'view', 'type']);
  const entries: Entries = [
    ['args', args.length === 0 ? undefined : arrayLiteral(args, '  ')],
    ['returns', r.kind === 'procedure' ? undefined : jsString(r.result ?? 'void')],
    ['language', jsString(r.language)],
    ['volatility', r.volatility === 'volatile' ? undefined : jsString(r.volatility)],
    ['strict', r.strict ? 'true' : undefined],
    ['securityDefiner', r.securityDefiner ? 'true' : undefined],
    ['leakproof', p.leakproof ? 'true' : undefined],
    ['parallel', p.parallel ? jsString(p.parallel) : undefined],
    ['cost', p.cost === undefined ? undefined : String(p.cost)],
    ['rows', p.rows === undefined ? undefined : String(p.rows)],
    ['window', p.window ? 'true' : undefined],
    ['set', set.length === 0 ? undefined : objectLiteral(set, '  ')],
    ['privileged', r.privileged ? 'true' : undefined],
    ['dependsOn', after.length === 0 ? undefined : strings(after)],
    comment(r.comment),
    ['owner', owner === undefined ? undefined : jsString(owner)],
    ['body', body],
  ];
  return `const ${name} = ${fn}(${jsString(r.name)}, ${objectLiteral(entries)});`;
}

const ENABLED = { O: undefined, D: "'disabled'", R: "'replica'", A: "'always'" } as const;

export function triggerSource(ctx: SourceContext, t: Trigger, indent: string): string {
  const p = readTrigger(t);
  if (!p) unsupported(`Trigger ${t.name} of ${t.table}`, `${t.events} ... ${t.body}`);
  ctx.use('trigger');
  const target =
    p.function.length === 1
      ? jsString(p.function[0]!)
      : objectLiteral([
          ['schema', jsString(p.function[0]!)],
          ['name', jsString(p.function[1]!)],
        ]);
  const from =
    p.from === undefined
      ? undefined
      : p.from.length === 1
        ? jsString(p.from[0]!)
        : objectLiteral([
            ['schema', jsString(p.from[0]!)],
            ['table', jsString(p.from[1]!)],
          ]);
  const entries: Entries = [
    ['table', jsString(t.table)],
    ['timing', jsString(p.timing)],
    ['events', strings(p.events)],
    ['updateOf', p.updateOf.length === 0 ? undefined : strings(p.updateOf)],
    ['forEach', jsString(p.forEach)],
    ['when', p.when === undefined ? undefined : sqlTemplate(unwrap(p.when))],
    ['function', target],
    ['args', p.args.length === 0 ? undefined : strings(p.args)],
    [
      'referencing',
      p.oldTable === undefined && p.newTable === undefined
        ? undefined
        : objectLiteral([
            ['oldTable', p.oldTable === undefined ? undefined : jsString(p.oldTable)],
            ['newTable', p.newTable === undefined ? undefined : jsString(p.newTable)],
          ]),
    ],
    [
      'constraint',
      t.constraint
        ? objectLiteral([
            ['deferrable', p.deferrable && !p.initiallyDeferred ? 'true' : undefined],
            ['initiallyDeferred', p.initiallyDeferred ? 'true' : undefined],
            ['from', from],
          ])
        : undefined,
    ],
    ['enabled', ENABLED[t.enabled]],
    comment(t.comment),
  ];
  return `trigger(${jsString(t.name)}, ${objectLiteral(entries, indent)})`;
}

export function policySource(ctx: SourceContext, p: Policy, indent: string): string {
  ctx.use('policy');
  const roles = p.roles.map(dslRole);
  const entries: Entries = [
    ['table', jsString(p.table)],
    ['as', p.permissive ? undefined : "'restrictive'"],
    ['for', p.command === 'ALL' ? undefined : jsString(p.command.toLowerCase())],
    ['to', roles.length === 1 && roles[0] === 'public' ? undefined : strings(roles)],
    ['using', p.using === null ? undefined : sqlTemplate(unwrap(p.using))],
    ['withCheck', p.withCheck === null ? undefined : sqlTemplate(unwrap(p.withCheck))],
    comment(p.comment),
  ];
  return `policy(${jsString(p.name)}, ${objectLiteral(entries, indent)})`;
}

interface GrantGroup {
  readonly grantee: string;
  readonly grantable: boolean;
  readonly privileges: string[];
}

/** Grants of one grantee (and grant option) together: `{ grantee, privileges: ['insert', 'select'] }`. */
function grouped(list: readonly Grant[]): GrantGroup[] {
  const by = new Map<string, GrantGroup>();
  for (const g of list) {
    const key = `${g.grantee}\u0000${g.grantable}`;
    const entry = by.get(key) ?? { grantee: g.grantee, grantable: g.grantable, privileges: [] };
    entry.privileges.push(g.privilege.toLowerCase());
    by.set(key, entry);
  }
  return [...by.values()].map((e) => ({ ...e, privileges: e.privileges.sort() }));
}

/** A role as the DSL names it: `public`, `session_user` for the role that read the catalog, else the name. */
const role = (r: string) => jsString(dslRole(r));

export function dslRole(r: string): string {
  return r === 'PUBLIC' ? 'public' : r === READER_ROLE ? 'session_user' : r;
}

function grantCall(ctx: SourceContext, action: 'grant' | 'revoke', on: string, g: GrantGroup, indent: string): string {
  ctx.use(action);
  const entries: Entries = [
    ['privileges', strings(g.privileges)],
    ['on', on],
    action === 'grant' ? ['to', role(g.grantee)] : ['from', role(g.grantee)],
    ['withGrantOption', g.grantable ? 'true' : undefined],
  ];
  return `${action}(${objectLiteral(entries, indent)})`;
}

/** `grant(...)` and `revoke(...)` calls taking an object from PostgreSQL's default privileges to `grants`. */
export function grantSources(ctx: SourceContext, on: string, grants: Grants, indent: string): string[] {
  return [
    ...grouped(grants.revoked).map((g) => grantCall(ctx, 'revoke', on, g, indent)),
    ...grouped(grants.granted).map((g) => grantCall(ctx, 'grant', on, g, indent)),
  ];
}

/** Grants on columns of `table`: one call per grantee and privileges, naming every column they cover. */
export function columnGrantSources(ctx: SourceContext, table: string, columns: readonly { name: string; grants: Grants }[], indent: string): string[] {
  const by = new Map<string, { group: GrantGroup; columns: string[] }>();
  for (const c of columns) {
    for (const g of grouped(c.grants.granted)) {
      const key = `${g.grantee}\u0000${g.grantable}\u0000${g.privileges.join()}`;
      const entry = by.get(key) ?? { group: g, columns: [] };
      entry.columns.push(c.name);
      by.set(key, entry);
    }
  }
  return [...by.values()].map((e) =>
    grantCall(
      ctx,
      'grant',
      objectLiteral([
        ['table', jsString(table)],
        ['columns', strings(e.columns)],
      ]),
      e.group,
      indent,
    ),
  );
}
