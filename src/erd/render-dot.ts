import { isView, type ErdEntity, type ErdModel, type ErdRelation } from './erd-model';
import { shortType } from './render-mermaid';

/**
 * Graphviz sizes cells with Helvetica's metrics; a viewer without Helvetica draws a wider font, so
 * each text cell gets a little slack to keep columns from running into each other.
 */
const PAD = '&#160;&#160;';

const HEADER = { table: '#d7e6f4', view: '#e4f2dc', external: '#eeeeee' } as const;

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A DOT double-quoted id. */
function id(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function nodeLabel(e: ErdEntity): string {
  const view = isView(e);
  const color = view ? HEADER.view : e.kind === 'external' ? HEADER.external : HEADER.table;
  const kind = e.kind === 'table' ? '' : `<BR/><FONT POINT-SIZE="8">${html(e.kind)}</FONT>`;
  const rows = e.columns.map((c, i) => {
    const key = [c.primaryKey ? 'PK' : '', c.foreignKey ? 'FK' : '', c.unique && !c.primaryKey ? 'UK' : ''].filter(Boolean).join(' ');
    const name = c.primaryKey ? `<U>${html(c.name)}</U>` : html(c.name);
    const type = `${html(shortType(c.type))}${c.nullable || c.primaryKey ? '' : ' not null'}`;
    // A port at each end of the row, so that edges leave from the right and arrive on the left.
    return `<TR><TD ALIGN="LEFT" PORT="c${i}w">${name}${PAD}</TD><TD ALIGN="LEFT"><FONT COLOR="#555555">${type}${PAD}</FONT></TD><TD ALIGN="LEFT" PORT="c${i}e">${key ? `<FONT COLOR="#4a6785">${PAD}${key}</FONT>` : ''}</TD></TR>`;
  });
  const style = view ? ' STYLE="dashed"' : '';
  return [
    `<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4"${style}>`,
    `<TR><TD COLSPAN="3" BGCOLOR="${color}"><B>${html(e.name)}</B>${kind}${PAD}</TD></TR>`,
    ...rows,
    '</TABLE>>',
  ].join('');
}

/** `table:port:side` of a column's row, or the table alone. */
function endpoint(model: ErdModel, table: string, column: string | undefined, side: 'e' | 'w'): string {
  const e = model.entities.find((x) => x.name === table);
  const i = column === undefined || !e ? -1 : e.columns.findIndex((c) => c.name === column);
  return i === -1 ? id(table) : `${id(table)}:c${i}${side}:${side}`;
}

function edge(model: ErdModel, r: ErdRelation): string {
  if (r.kind === 'view-source') return `  ${id(r.from)} -> ${id(r.to)} [style=dashed, color="#6a9f58", arrowhead=vee, arrowsize=0.6];`;
  // Crow's foot: many (or one, for one-to-one) at the referencing side, one (or zero-or-one) at the referenced.
  const tail = r.oneToOne ? 'teeodot' : 'crowodot';
  const head = r.optional ? 'teeodot' : 'teetee';
  return `  ${endpoint(model, r.from, r.fromColumns[0], 'e')} -> ${endpoint(model, r.to, r.toColumns[0], 'w')} [dir=both, arrowtail=${tail}, arrowhead=${head}, tooltip=${id(`${r.name}: ${r.from}(${r.fromColumns.join(', ')}) -> ${r.to}(${r.toColumns.join(', ')})`)}];`;
}

/**
 * Renders the model as Graphviz DOT: one HTML-table node per table (views dashed, green), a port
 * per column, foreign keys drawn column to column in crow's-foot notation, dashed arrows from each
 * view to what it reads.
 *
 * @example
 * ```ts
 * renderDot(model)
 * // digraph erd {
 * //   graph [rankdir=LR, ...];
 * //   "meta_station" [label=<<TABLE ...>>];
 * //   "meta_station":c1 -> "meta_network":c0 [dir=both, arrowtail=crowodot, arrowhead=teetee, ...];
 * // }
 * ```
 */
export function renderDot(model: ErdModel): string {
  const lines = [
    'digraph erd {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, label=${id(`Schema ${model.schema}`)}, labelloc=t, nodesep=0.4, ranksep=0.9, concentrate=false];`,
    '  node [shape=plain, fontname="Helvetica,Arial,sans-serif", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#4a6785"];',
  ];
  for (const e of model.entities) lines.push(`  ${id(e.name)} [label=${nodeLabel(e)}];`);
  for (const r of model.relations) lines.push(edge(model, r));
  lines.push('}');
  return lines.join('\n') + '\n';
}
