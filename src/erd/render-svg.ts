import { RetortError, describeError } from '../errors';
import { loadGraphviz } from './load-graphviz';

/**
 * Lays out DOT text as SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz), so no
 * system `dot` binary is needed. The module is ESM and about 1 MB: it is imported only here.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(renderDot(model)); // '<?xml version="1.0" ...<svg ...'
 * ```
 */
export async function renderSvg(dot: string): Promise<string> {
  let graphviz: { dot(source: string, format?: 'svg'): string };
  try {
    const mod = await loadGraphviz();
    graphviz = await mod.Graphviz.load();
  } catch (cause) {
    throw new RetortError(
      'GRAPHVIZ_UNAVAILABLE',
      `Cannot load Graphviz (@hpcc-js/wasm-graphviz): ${describeError(cause)}. Reinstall dependencies with "npm ci", or use --format dot / mermaid.`,
      { cause },
    );
  }
  try {
    return graphviz.dot(dot, 'svg');
  } catch (cause) {
    throw new RetortError('GRAPHVIZ_FAILED', `Graphviz could not lay out the diagram: ${describeError(cause)}. Report it with the output of --format dot.`, {
      cause,
    });
  }
}
