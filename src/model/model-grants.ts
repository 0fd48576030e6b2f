import { READER_ROLE, type Grant, type Grants, type Snapshot } from '../schema/snapshot';
import type { GrantNode } from './grant';
import type { AnyModel } from './model';
import { functionsNamed } from './validate-model';

/** A role as a snapshot names it: `PUBLIC`, the reading role for `session_user`, else the name. */
export function snapshotRole(role: string): string {
  const lower = role.toLowerCase();
  return lower === 'public' ? 'PUBLIC' : lower === 'session_user' ? READER_ROLE : role;
}

function grantsOf(node: GrantNode): Grant[] {
  const grantee = snapshotRole(node.to);
  return node.privileges.map((p) => ({ grantee, privilege: p.toUpperCase(), grantable: node.withGrantOption ?? false }));
}

function add(grants: Grants, node: GrantNode): Grants {
  const list = grantsOf(node);
  return node.action === 'revoke'
    ? { granted: grants.granted, revoked: [...grants.revoked, ...list] }
    : { granted: [...grants.granted, ...list], revoked: grants.revoked };
}

/** The snapshot with the model's grants and revokes put on the objects they name. */
export function applyGrants(snapshot: Snapshot, model: AnyModel): Snapshot {
  let { tables, views, sequences, routines, enums, domains } = snapshot;
  for (const g of model.grants) {
    const on = g.on;
    if ('table' in on) {
      const columns = on.columns;
      tables = tables.map((t) => {
        if (t.name !== on.table) return t;
        if (!columns) return { ...t, grants: add(t.grants, g) };
        return { ...t, columns: t.columns.map((c) => (columns.includes(c.name) ? { ...c, grants: add(c.grants, g) } : c)) };
      });
      views = views.map((v) => (v.name === on.table ? { ...v, grants: add(v.grants, g) } : v));
    } else if ('sequence' in on) {
      sequences = sequences.map((s) => (s.name === on.sequence ? { ...s, grants: add(s.grants, g) } : s));
    } else if ('function' in on) {
      // routines are in the order of the model's functions
      const fn = functionsNamed(model, on.function, on.args)[0];
      const index = fn === undefined ? -1 : model.functions.indexOf(fn);
      routines = routines.map((r, i) => (i === index ? { ...r, grants: add(r.grants, g) } : r));
    } else {
      enums = enums.map((e) => (e.name === on.type ? { ...e, grants: add(e.grants, g) } : e));
      domains = domains.map((d) => (d.name === on.type ? { ...d, grants: add(d.grants, g) } : d));
    }
  }
  return { ...snapshot, tables, views, sequences, routines, enums, domains };
}
