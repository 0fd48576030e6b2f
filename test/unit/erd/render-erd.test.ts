import { expect } from 'chai';
import { buildErdModel } from '../../../src/erd/read-erd-model';
import { renderDot } from '../../../src/erd/render-dot';
import { mermaidType, renderMermaid, renderMermaidMarkdown } from '../../../src/erd/render-mermaid';
import { renderSvg } from '../../../src/erd/render-svg';

// The rows the three catalog queries return for a small schema.
const columns = [
  { relname: 'network', relkind: 'r', attname: 'id', type: 'integer', notnull: true },
  { relname: 'network', relkind: 'r', attname: 'name', type: 'character varying(255)', notnull: true },
  { relname: 'station', relkind: 'r', attname: 'id', type: 'integer', notnull: true },
  { relname: 'station', relkind: 'r', attname: 'network_id', type: 'integer', notnull: false },
  { relname: 'station', relkind: 'r', attname: 'placed', type: 'timestamp without time zone', notnull: true },
  { relname: 'station', relkind: 'r', attname: 'score', type: 'numeric(10,2)', notnull: false },
  { relname: 'detail', relkind: 'r', attname: 'station_id', type: 'integer', notnull: true },
  { relname: 'station_names', relkind: 'v', attname: 'name', type: 'character varying(255)', notnull: false },
  { relname: 'empty', relkind: 'r', attname: null, type: null, notnull: null },
];
const constraints = [
  { conname: 'network_pkey', contype: 'p' as const, relname: 'network', columns: ['id'], ref_schema: null, ref_table: null, ref_columns: null },
  { conname: 'network_name_key', contype: 'u' as const, relname: 'network', columns: ['name'], ref_schema: null, ref_table: null, ref_columns: null },
  { conname: 'station_pkey', contype: 'p' as const, relname: 'station', columns: ['id'], ref_schema: null, ref_table: null, ref_columns: null },
  {
    conname: 'station_network_fk',
    contype: 'f' as const,
    relname: 'station',
    columns: ['network_id'],
    ref_schema: 's',
    ref_table: 'network',
    ref_columns: ['id'],
  },
  { conname: 'detail_pkey', contype: 'p' as const, relname: 'detail', columns: ['station_id'], ref_schema: null, ref_table: null, ref_columns: null },
  {
    conname: 'detail_station_fk',
    contype: 'f' as const,
    relname: 'detail',
    columns: ['station_id'],
    ref_schema: 's',
    ref_table: 'station',
    ref_columns: ['id'],
  },
  { conname: 'station_owner_fk', contype: 'f' as const, relname: 'station', columns: ['id'], ref_schema: 'other', ref_table: 'owner', ref_columns: ['id'] },
];
const dependencies = [
  { view: 'station_names', table_schema: 's', table_name: 'network' },
  { view: 'station_names', table_schema: 's', table_name: 'station' },
];
const model = buildErdModel('s', columns, constraints, dependencies);

describe('erd: model from catalog rows', () => {
  it('orders tables, views and external tables, and marks keys and nullability', () => {
    expect(model.entities.map((e) => `${e.kind}:${e.name}`)).to.deep.equal([
      'table:detail',
      'table:empty',
      'table:network',
      'table:station',
      'view:station_names',
      'external:other.owner',
    ]);
    const station = model.entities.find((e) => e.name === 'station')!;
    expect(station.columns.map((c) => `${c.name}${c.primaryKey ? ' PK' : ''}${c.foreignKey ? ' FK' : ''}${c.nullable ? ' null' : ''}`)).to.deep.equal([
      'id PK FK',
      'network_id FK null',
      'placed',
      'score null',
    ]);
    expect(model.entities.find((e) => e.name === 'network')!.columns[1]!.unique).to.equal(true);
  });

  it('derives optional and one-to-one foreign keys, and view dependencies', () => {
    const rel = (name: string) => model.relations.find((r) => r.name === name)!;
    expect(rel('station_network_fk')).to.include({ from: 'station', to: 'network', optional: true, oneToOne: false });
    expect(rel('detail_station_fk')).to.include({ from: 'detail', to: 'station', optional: false, oneToOne: true });
    expect(rel('station_owner_fk').to).to.equal('other.owner');
    expect(model.relations.filter((r) => r.kind === 'view-source').map((r) => `${r.from}->${r.to}`)).to.deep.equal([
      'station_names->network',
      'station_names->station',
    ]);
  });
});

describe('erd: Mermaid', () => {
  it("writes entities with one-word types and key markers, views apart, crow's-foot relations", () => {
    const text = renderMermaid(model);
    expect(text.split('\n')[0]).to.equal('erDiagram');
    expect(text).to.contain(['    network {', '        integer id PK', '        varchar(255) name UK', '    }'].join('\n'));
    expect(text).to.contain('        timestamp placed\n        numeric(10_2) score\n');
    expect(text).to.contain('    empty {\n    }');
    expect(text).to.match(/%% views[^\n]*\n {4}station_names \{\n {8}varchar\(255\) name\n {4}\}/);
    expect(text).to.contain('    network |o--o{ station : "network_id"');
    expect(text).to.contain('    station ||--o| detail : "station_id"');
    expect(text).to.contain('    other_owner ||--o| station : "id"');
    expect(text).to.contain('    station ||..o{ station_names : "read by view"');
    // Every attribute line is `type name [keys]` with Mermaid-safe words.
    for (const line of text.split('\n').filter((l) => l.startsWith('        ')))
      expect(line.trim()).to.match(/^[A-Za-z_][\w\-()[\]]* [A-Za-z_][\w-]*( (PK|FK|UK)(, (FK|UK))*)?$/);
  });

  it('shortens long type names', () => {
    expect(mermaidType('timestamp(3) with time zone')).to.equal('timestamptz(3)');
    expect(mermaidType('double precision[]')).to.equal('float8[]');
    expect(mermaidType('character(8)')).to.equal('char(8)');
    expect(mermaidType('"weird type"')).to.equal('_weird_type_');
  });

  it('wraps the diagram in a Markdown document', () => {
    const md = renderMermaidMarkdown(model, 'CRMP');
    expect(md).to.match(/^# CRMP\n\n4 tables and 1 view; generated by `migrate erd`/);
    expect(md).to.contain('```mermaid\nerDiagram\n');
    expect(md.trimEnd().endsWith('```')).to.equal(true);
  });
});

describe('erd: DOT and SVG', () => {
  it('draws one HTML-table node per entity and column-to-column foreign keys', () => {
    const dot = renderDot(model);
    expect(dot).to.match(/^digraph erd \{\n {2}graph \[rankdir=LR/);
    expect(dot).to.contain('"station":c1e:e -> "network":c0w:w [dir=both, arrowtail=crowodot, arrowhead=teeodot');
    expect(dot).to.contain('"detail":c0e:e -> "station":c0w:w [dir=both, arrowtail=teeodot, arrowhead=teetee');
    expect(dot).to.contain('"station_names" -> "network" [style=dashed');
    expect(dot).to.match(/"station_names" \[label=<<TABLE [^>]*STYLE="dashed">/);
    expect(dot).to.contain('"other.owner" [label=');
  });

  it('escapes names for DOT ids and HTML labels', () => {
    const odd = buildErdModel('s', [{ relname: 'a"<b>&', relkind: 'r', attname: 'x<y', type: 'text', notnull: false }], [], []);
    const dot = renderDot(odd);
    expect(dot).to.contain('"a\\"<b>&" [label=');
    expect(dot).to.contain('<B>a&quot;&lt;b&gt;&amp;</B>');
    expect(dot).to.contain('x&lt;y');
  });

  it('lays the DOT out as SVG with the WebAssembly Graphviz', async () => {
    const svg = await renderSvg(renderDot(model));
    expect(svg).to.match(/^<\?xml/);
    expect(svg).to.contain('<svg');
    expect((svg.match(/<g id="node\d+" class="node">/g) ?? []).length).to.equal(model.entities.length);
    expect((svg.match(/<g id="edge\d+" class="edge">/g) ?? []).length).to.equal(model.relations.length);
    expect(svg).to.contain('>station_names<');
  });
});
