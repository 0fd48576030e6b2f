import type { Target } from '../config/target';
import { ConfigError, DatabaseError } from '../errors';
import { ERD_FORMATS, type ErdFormat, type ErdModel } from '../erd/erd-model';
import { readErdModel } from '../erd/read-erd-model';
import { renderDot } from '../erd/render-dot';
import { renderMermaid } from '../erd/render-mermaid';
import { historyTable } from '../runtime/version-table';
import { withTarget } from '../target/open-target';
import { databaseName, targetName } from '../target/target-name';

export interface ErdOptions {
  readonly target: Target;
  readonly format: ErdFormat;
  /** Folder of alembic.ini (for `embedded:` URLs). */
  readonly baseDir: string;
  /** The version table (left out of the diagram with its history table). */
  readonly versionTable: string;
}

export interface ErdResult {
  readonly target: string;
  readonly format: ErdFormat;
  readonly text: string;
  readonly model: ErdModel;
}

/** Validates `--format`. */
export function parseErdFormat(value: string): ErdFormat {
  if ((ERD_FORMATS as readonly string[]).includes(value)) return value as ErdFormat;
  throw new ConfigError('BAD_ERD_FORMAT', `--format ${value} is not a diagram format. Use one of: ${ERD_FORMATS.join(', ')}.`);
}

/** Renders a model (pure for mermaid and dot; svg lays the DOT out with Graphviz). */
export async function renderErd(model: ErdModel, format: ErdFormat): Promise<string> {
  switch (format) {
    case 'mermaid':
      return renderMermaid(model);
    case 'dot':
      return renderDot(model);
    case 'svg': {
      const { renderSvg } = require('../erd/render-svg') as typeof import('../erd/render-svg');
      return renderSvg(renderDot(model));
    }
  }
}

/**
 * `migrate erd`: reads the target schema's tables, views, columns and keys from the catalog and
 * draws them as Mermaid, DOT or SVG.
 *
 * @example
 * ```ts
 * const { text } = await erd({ target, format: 'mermaid', baseDir: config.dir, versionTable: 'alembic_version' });
 * ```
 */
export async function erd(options: ErdOptions): Promise<ErdResult> {
  const { target } = options;
  const where = databaseName(target);
  const model = await withTarget(
    target,
    { baseDir: options.baseDir, versionTable: options.versionTable, lock: false, lockTimeoutMs: 0 },
    async (open): Promise<ErdModel> => {
      if (!open.schemaExists) {
        throw new DatabaseError(
          'NO_SCHEMA',
          `Schema "${target.schema}" does not exist in ${where}. Pass -x schema=<name> of an existing schema, or run "migrate upgrade" first.`,
        );
      }
      return readErdModel(open.db, { schema: target.schema, excludeTables: [open.names.table, historyTable(open.names)] });
    },
  );
  if (model.entities.length === 0) {
    throw new DatabaseError(
      'ERD_EMPTY_SCHEMA',
      `Schema "${target.schema}" in ${where} has no tables or views to draw. Run "migrate upgrade head" first, or pass -x schema=<name>.`,
    );
  }
  return { target: targetName(target), format: options.format, text: await renderErd(model, options.format), model };
}
