/**
 * The one dynamic `import()` of the CLI: @hpcc-js/wasm-graphviz is an ES module. This file stays
 * out of the CLI bundle (scripts/bundle-cli.js), so Node's own module loader runs the import; it
 * imports nothing of Retort's, so the bundle and this file share no classes.
 */
export interface GraphvizModule {
  readonly Graphviz: { load(): Promise<{ dot(source: string, format?: 'svg'): string }> };
}

export function loadGraphviz(): Promise<GraphvizModule> {
  return import('@hpcc-js/wasm-graphviz');
}
