/**
 * Draws the reference CRMP schema for the README: docs/crmp-erd.svg (Graphviz, laid out with the
 * WebAssembly build) and docs/crmp-erd.md (Mermaid, which GitHub renders inline).
 *
 *   npx migrate -x db=local upgrade head
 *   npx tsx scripts/erd.ts -x db=local
 *   npx tsx scripts/erd.ts --url postgresql://postgres@127.0.0.1:5432/crmp_dev -x schema=crmp --out docs
 *
 * The database must already be at the revision to draw; the script only reads its catalog.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../src/config/load';
import { resolveTargets } from '../src/config/target';
import { maskSecrets } from '../src/config/dsn';
import { erd } from '../src/commands/erd';
import { renderMermaidMarkdown } from '../src/erd/render-mermaid';
import { RetortError } from '../src/errors';

interface Args {
  x: string[];
  url?: string;
  config?: string;
  out: string;
  name: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { x: [], out: path.resolve(__dirname, '..', 'docs'), name: 'crmp-erd' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined)
        throw new RetortError(
          'USAGE',
          `${a} needs a value. Usage: npx tsx scripts/erd.ts [-x db=<label>] [--url <dsn>] [-x schema=<name>] [-c alembic.ini] [--out docs] [--name crmp-erd]`,
        );
      return v;
    };
    if (a === '-x') args.x.push(value());
    else if (a === '--url') args.url = value();
    else if (a === '-c' || a === '--config') args.config = value();
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--name') args.name = value();
    else throw new RetortError('USAGE', `Unknown argument ${a}. Usage: npx tsx scripts/erd.ts [-x db=<label>] [--url <dsn>] [-x schema=<name>] [--out docs]`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig({ path: args.config, cwd: process.cwd() });
  const targets = resolveTargets({ config, x: args.x, url: args.url, env: process.env });
  if (targets.length !== 1) throw new RetortError('USAGE', `Name one database and one schema (got ${targets.length} targets).`);
  const target = targets[0]!;
  const common = { target, baseDir: config.dir, versionTable: config.versionTable };
  const svg = await erd({ ...common, format: 'svg' });
  fs.mkdirSync(args.out, { recursive: true });
  const svgFile = path.join(args.out, `${args.name}.svg`);
  const mdFile = path.join(args.out, `${args.name}.md`);
  fs.writeFileSync(svgFile, svg.text);
  const md = renderMermaidMarkdown(svg.model, `Schema ${target.schema}: entity-relationship diagram`).replace(
    /\n\n```mermaid/,
    `\n\nThe same diagram laid out by Graphviz: [${args.name}.svg](${args.name}.svg). Regenerate both with \`npx tsx scripts/erd.ts -x db=<label>\`.\n\n\`\`\`mermaid`,
  );
  fs.writeFileSync(mdFile, md);
  const tables = svg.model.entities.filter((e) => e.kind === 'table').length;
  const views = svg.model.entities.filter((e) => e.kind.endsWith('view')).length;
  process.stdout.write(
    `Wrote ${path.relative(process.cwd(), svgFile)} and ${path.relative(process.cwd(), mdFile)}: ${tables} tables, ${views} views of ${svg.target}\n`,
  );
}

main().catch((error: unknown) => {
  const message = maskSecrets(error instanceof Error ? error.message : String(error));
  process.stderr.write(`erd: error: ${message}\n`);
  process.exitCode = error instanceof RetortError ? error.exitCode : 1;
});
