/**
 * The fenced code blocks of README.md, and the one bash script its ```sh blocks make. Pure: text in,
 * data out, so the rules are tested without running anything.
 */

/** Languages a README fence may name: `sh` runs, the others are shown only. */
export const FENCE_LANGUAGES = ['sh', 'text', 'ts', 'ini', 'json'] as const;

export interface CodeBlock {
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  readonly lang: string;
  readonly body: string;
}

export interface ShellBlock extends CodeBlock {
  /** The reason given by a first line `# not run: <reason>`; undefined when the block runs. */
  readonly notRun: string | undefined;
}

/** Every fenced block (``` or ~~~) of a Markdown text, in order. An unclosed fence is an error. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`README.md line ${start + 1}: the code block is never closed`);
    blocks.push({ line: start + 1, lang: open[2]!.trim(), body: body.join('\n') });
  }
  return blocks;
}

/** Blocks whose fence names no language or one outside {@link FENCE_LANGUAGES}: a command could hide there. */
export function badFences(blocks: readonly CodeBlock[]): CodeBlock[] {
  return blocks.filter((b) => !(FENCE_LANGUAGES as readonly string[]).includes(b.lang));
}

/** The ```sh blocks, each with its `# not run:` reason if it has one. */
export function shellBlocks(blocks: readonly CodeBlock[]): ShellBlock[] {
  return blocks
    .filter((b) => b.lang === 'sh')
    .map((b) => {
      const first = b.body.split('\n')[0] ?? '';
      const m = /^#\s*not run:\s*(.*)$/.exec(first.trim());
      return { ...b, notRun: m ? m[1]!.trim() : undefined };
    });
}

/** The first line of a block that says what it does (not a blank line). */
export function firstLine(block: CodeBlock): string {
  return block.body.split('\n').find((l) => l.trim() !== '') ?? '';
}

/**
 * One bash script of the blocks that run, in README order: `set -euo pipefail`, and before each
 * block a marker line on stdout (`### README block n/N, line L: <first line>`), so a failure
 * names the block. An ERR trap prints the block that failed and its exit code on stderr.
 */
export function readmeScript(blocks: readonly ShellBlock[]): string {
  const run = blocks.filter((b) => b.notRun === undefined);
  const parts = ['set -euo pipefail', `trap 'echo "### FAILED (exit $?) in $README_BLOCK" >&2' ERR`];
  run.forEach((b, i) => {
    const label = `README block ${i + 1}/${run.length}, line ${b.line}: ${firstLine(b)}`;
    parts.push(`README_BLOCK=${shellQuote(label)}`, `echo "### $README_BLOCK"`, b.body);
  });
  parts.push('echo "### README: every block ran"');
  return parts.join('\n') + '\n';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
