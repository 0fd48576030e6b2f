import { isLintRuleId, type LintRuleId } from './rules';

/** A problem found in the text of a revision file. */
export interface SourceIssue {
  readonly rule: LintRuleId;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

/** The text of a source file split into what is code and what is inside string literals. */
interface SourceParts {
  /** The source with comments blanked (newlines kept), strings intact. */
  readonly code: string;
  /** Only the contents of string and template literals; everything else blanked (newlines kept). */
  readonly strings: string;
}

/**
 * Separates comments, code and string literals of a TypeScript/JavaScript file well enough for
 * pattern checks: `'`, `"`, template literals with nested `${...}`, `//` and block comments.
 * Regular expression literals are not recognised (revisions rarely hold one with a quote in it).
 */
function splitSource(source: string): SourceParts {
  let code = '';
  let strings = '';
  const blank = (c: string) => (c === '\n' ? '\n' : ' ');
  // Stack of open contexts: a template literal, or code inside `${` with its brace depth.
  const stack: Array<{ kind: 'template' } | { kind: 'expr'; depth: number }> = [];
  let i = 0;
  const inTemplate = () => stack[stack.length - 1]?.kind === 'template';
  while (i < source.length) {
    const c = source[i]!;
    if (inTemplate()) {
      if (c === '\\') {
        code += source.slice(i, i + 2);
        strings += source.slice(i, i + 2).replace(/[^\n]/g, ' ');
        i += 2;
      } else if (c === '`') {
        stack.pop();
        code += c;
        strings += ' ';
        i++;
      } else if (c === '$' && source[i + 1] === '{') {
        stack.push({ kind: 'expr', depth: 0 });
        code += '${';
        strings += '  ';
        i += 2;
      } else {
        code += c;
        strings += c;
        i++;
      }
      continue;
    }
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      code += ' '.repeat(stop - i);
      strings += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      const gap = [...source.slice(i, stop)].map(blank).join('');
      code += gap;
      strings += gap;
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      const closed = source[j] === c;
      const end = closed ? j + 1 : j;
      code += source.slice(i, end);
      strings += ' ' + source.slice(i + 1, j) + (closed ? ' ' : '');
      i = end;
    } else if (c === '`') {
      stack.push({ kind: 'template' });
      code += c;
      strings += ' ';
      i++;
    } else {
      const top = stack[stack.length - 1];
      if (top?.kind === 'expr') {
        if (c === '{') top.depth++;
        else if (c === '}') {
          if (top.depth === 0) stack.pop();
          else top.depth--;
        }
      }
      code += c;
      strings += blank(c);
      i++;
    }
  }
  return { code, strings };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const LITERAL = String.raw`(['"\x60])([^'"\x60$]*)\1`;
const SOURCE_PATTERNS: ReadonlyArray<{ pattern: RegExp; message: (m: RegExpExecArray) => string | undefined; known?: boolean }> = [
  {
    pattern: new RegExp(String.raw`\bwithSchema\(\s*${LITERAL}\s*\)`, 'g'),
    message: (m) => `withSchema(${m[1]}${m[2]}${m[1]}) names schema "${m[2]}" literally`,
  },
  { pattern: new RegExp(String.raw`\bschema\s*:\s*${LITERAL}`, 'g'), message: (m) => `schema: ${m[1]}${m[2]}${m[1]} names schema "${m[2]}" literally` },
  {
    pattern: new RegExp(String.raw`\bsql\.table\(\s*${LITERAL}`, 'g'),
    message: (m) => (m[2]!.includes('.') ? `sql.table(${m[1]}${m[2]}${m[1]}) names schema "${m[2]!.split('.')[0]}" literally` : undefined),
  },
];

/**
 * Literal schemas in the text of a revision: `withSchema('crmp')`, `schema: 'crmp'`,
 * `sql.table('crmp.t')`, `sql.id('crmp', ...)` and `crmp.` / `"crmp".` inside string or template
 * literals, for each of `knownSchemas` (the project's default schema, `public`).
 *
 * @example
 * ```ts
 * checkSource("await ctx.db.schema.withSchema('crmp').createTable('t')", ['crmp'])
 * // [{ rule: 'literal-schema', line: 1, message: "withSchema('crmp') names schema \"crmp\" literally" }]
 * ```
 */
export function checkSource(source: string, knownSchemas: readonly string[]): SourceIssue[] {
  const { code, strings } = splitSource(source);
  const issues: SourceIssue[] = [];
  for (const { pattern, message } of SOURCE_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const text = message(m as RegExpExecArray);
      if (text) issues.push({ rule: 'literal-schema', line: lineAt(code, m.index!), message: text });
    }
  }
  for (const schema of knownSchemas) {
    const name = escapeRegExp(schema);
    const id = new RegExp(String.raw`\bsql\.id\(\s*(['"\x60])${name}\1\s*,`, 'g');
    for (const m of code.matchAll(id))
      issues.push({ rule: 'literal-schema', line: lineAt(code, m.index!), message: `sql.id(${m[1]}${schema}${m[1]}, ...) names schema "${schema}" literally` });
    const qualified = new RegExp(String.raw`(?<![\w$."])(${name}|"${name}")\.(?=["A-Za-z_])`, 'g');
    for (const m of strings.matchAll(qualified))
      issues.push({ rule: 'literal-schema', line: lineAt(strings, m.index!), message: `${m[1]}. qualifies a name with schema "${schema}" literally` });
  }
  return issues.sort((a, b) => a.line - b.line);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What `retort-lint-disable` comments in a file switch off. */
export interface Disables {
  readonly rules: ReadonlySet<LintRuleId>;
  /** Names that are not rules, with their line. */
  readonly unknown: ReadonlyArray<{ readonly name: string; readonly line: number }>;
}

/**
 * Reads `// retort-lint-disable rule[, rule]` (or `-- retort-lint-disable ...` inside SQL) anywhere
 * in a revision file: the rules are silenced for the whole revision. Text after the list is a
 * free-form reason.
 *
 * @example
 * ```ts
 * disabledRules('// retort-lint-disable index-not-concurrent, fk-not-valid -- table is tiny').rules
 * // Set { 'index-not-concurrent', 'fk-not-valid' }
 * ```
 */
export function disabledRules(source: string): Disables {
  const rules = new Set<LintRuleId>();
  const unknown: Array<{ name: string; line: number }> = [];
  for (const m of source.matchAll(/(?:\/\/|--)\s*retort-lint-disable\b[ \t]*([a-z][a-z0-9-]*(?:[ \t]*,[ \t]*[a-z][a-z0-9-]*)*)?/g)) {
    const line = lineAt(source, m.index!);
    for (const name of (m[1] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (isLintRuleId(name)) rules.add(name);
      else unknown.push({ name, line });
    }
  }
  return { rules, unknown };
}

/** 1-based line of `export (async) function <name>` in a revision, for findings with no better line. */
export function functionLine(source: string, name: 'upgrade' | 'downgrade'): number | undefined {
  const m = new RegExp(String.raw`\b(?:async\s+)?function\s+${name}\b|\b${name}\s*[:=]\s*(?:async\b)?`).exec(source);
  return m ? lineAt(source, m.index) : undefined;
}

export { lineAt };
