/**
 * Renders values as SQL literals, for offline (`--sql`) output that a DBA applies with psql.
 * Assumes `standard_conforming_strings = on` (the default since PostgreSQL 9.1).
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return quote(value.toISOString());
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  if (Array.isArray(value)) return `ARRAY[${value.map(sqlLiteral).join(', ')}]`;
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(String(value));
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Replaces `$1`..`$n` placeholders with literals, skipping quoted strings, quoted identifiers,
 * dollar-quoted bodies and comments (a plpgsql body may mention `$1` itself).
 */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  if (parameters.length === 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = skipQuoted(text, i, c);
      out += text.slice(i, end);
      i = end;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '$') {
      const num = /^\$(\d+)/.exec(text.slice(i, i + 12));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 70));
      if (num && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ')) {
        const n = Number(num[1]);
        out += n >= 1 && n <= parameters.length ? sqlLiteral(parameters[n - 1]) : num[0];
        i += num[0].length;
      } else if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const stop = close === -1 ? text.length : close + tag[0].length;
        out += text.slice(i, stop);
        i = stop;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function skipQuoted(text: string, start: number, q: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === q) {
      if (text[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}
