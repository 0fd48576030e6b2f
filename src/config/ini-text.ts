/**
 * Reads an ini file the way Python's `configparser` does for Alembic (`strict=True`, `=`
 * delimiters, `#`/`;` comments, `%(here)s` and `%%` interpolation), and finds every problem
 * with its line number. A comment may also end a line when a blank comes before its `#` or
 * `;` (configparser's inline comments), so `p#ss` in a URL stays part of it. Problems: lines
 * that are neither a `[section]` header, a `key = value` pair, a comment nor blank; keys before
 * any section; duplicate sections and duplicate keys (compared case-insensitively, as
 * configparser does). A lenient parser would turn a stray line into a key set to `true`, let a
 * repeated key silently win, or cut a value at a `#` that belongs to it.
 */

/** One problem of an ini file's text, with its 1-based line. */
export interface IniProblem {
  readonly line: number;
  readonly message: string;
}

/** A key's value (trimmed, not yet interpolated) and the line it is on. */
export interface IniValue {
  readonly value: string;
  readonly line: number;
}

/** Sections by name, in file order; keys lower-cased, in file order. */
export type IniSections = ReadonlyMap<string, ReadonlyMap<string, IniValue>>;

const SECTION = /^\[([^\]]*)\]\s*(?:[#;].*)?$/;
const KEY_VALUE = /^([^=\s][^=]*?)\s*=(.*)$/;

/**
 * Reads the sections and keys of an ini text and lists what is wrong with it. The first value
 * of a duplicate key is kept (and the duplicate reported).
 *
 * @example
 * ```ts
 * readIni('[dev]\nurl = a\nurl = b\n').problems
 * // [{ line: 3, message: 'key "url" is set twice in [dev] (first on line 2)' }]
 * ```
 */
export function readIni(text: string): { sections: IniSections; problems: IniProblem[] } {
  const problems: IniProblem[] = [];
  const sections = new Map<string, Map<string, IniValue>>();
  const sectionLines = new Map<string, number>();
  let keys: Map<string, IniValue> | undefined;
  let section: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;

    if (/[\u0000-\u0008\u000e-\u001f]/.test(raw)) {
      problems.push({ line, message: 'it holds binary data (is this an ini file?)' });
      continue;
    }
    const header = SECTION.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      const first = sectionLines.get(section);
      if (first !== undefined) {
        problems.push({ line, message: `section [${section}] appears twice (first on line ${first})` });
        keys = new Map(); // read it, but keep the first
      } else {
        sectionLines.set(section, line);
        keys = new Map();
        sections.set(section, keys);
      }
      continue;
    }
    if (/^\s/.test(raw)) {
      problems.push({ line, message: 'an indented line continues the value above it, which is not supported: write the value on one line' });
      continue;
    }
    const pair = KEY_VALUE.exec(trimmed);
    if (!pair) {
      const hint = /^[^:\s][^:]*:/.test(trimmed) ? ' (write key = value, not key: value)' : '';
      problems.push({ line, message: `${JSON.stringify(shorten(trimmed))} is not a [section] header, a key = value line or a comment${hint}` });
      continue;
    }
    const name = pair[1]!.trim();
    if (section === undefined || keys === undefined) {
      problems.push({ line, message: `key "${name}" comes before any [section]` });
      continue;
    }
    const key = name.toLowerCase();
    const first = keys.get(key);
    if (first !== undefined) {
      problems.push({ line, message: `key "${name}" is set twice in [${section}] (first on line ${first.line})` });
      continue;
    }
    keys.set(key, { value: pair[2]!.replace(/\s[#;].*$/, '').trim(), line });
  }
  return { sections, problems };
}

/**
 * configparser's basic interpolation as Alembic sets it up: `%(here)s` is the ini file's folder,
 * `%%` a literal `%`. Other `%(name)s` references are left as they are.
 *
 * @example
 * ```ts
 * interpolate('%(here)s/revisions', '/srv/app') // '/srv/app/revisions'
 * interpolate('postgresql://u:p%%40ss@h/db', '/srv') // 'postgresql://u:p%40ss@h/db'
 * ```
 */
export function interpolate(value: string, here: string): string {
  return value.replace(/%(%|\(here\)s)/g, (_m, what: string) => (what === '%' ? '%' : here));
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
