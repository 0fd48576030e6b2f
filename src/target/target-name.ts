import type { Target } from '../config/target';

/** `dev:crmp`, or the masked URL's database when there is no label. */
export function targetName(target: Target): string {
  if (target.label) return `${target.label}:${target.schema}`;
  try {
    const u = new URL(target.url);
    return `${decodeURIComponent(u.pathname.slice(1)) || u.hostname}:${target.schema}`;
  } catch {
    return `${target.url}:${target.schema}`;
  }
}

/** How messages name a target's database: `database dev`, or `the database` for a bare URL. */
export function databaseName(target: { readonly label: string | undefined }): string {
  return target.label ? `database ${target.label}` : 'the database';
}
