import { expect } from 'chai';
import { summaryTable } from '../../../src/cli/fleet-output';
import { cut, cutTarget, textWidth } from '../../../src/cli/progress-terminal';
import { formatDuration, stepEventLine } from '../../../src/commands/output';
import { replay } from '../../support/terminal';

describe('cli progress: step lines, cutting to the width, the summary table', () => {
  const step = { direction: 'up', revision: 'bbbb00000002', message: 'add station', from: ['aaaa00000001'], to: ['bbbb00000002'], index: 2, total: 3 } as const;

  it('a step reads as Alembic prints it when it starts, and with its time when it ends', () => {
    expect(stepEventLine({ phase: 'start', ...step })).to.equal('Running upgrade aaaa00000001 -> bbbb00000002, add station ...');
    expect(stepEventLine({ phase: 'done', ...step, durationMs: 38 })).to.equal('Upgraded aaaa00000001 -> bbbb00000002 in 38 ms');
    const down = { ...step, direction: 'down' as const, revision: 'aaaa00000001', from: ['aaaa00000001'], to: [], message: '' };
    expect(stepEventLine({ phase: 'start', ...down })).to.equal('Running downgrade aaaa00000001 -> <base>, no message ...');
    expect(stepEventLine({ phase: 'done', ...down, durationMs: 1240 })).to.equal('Downgraded aaaa00000001 -> <base> in 1.24 s');
  });

  it('durations', () => {
    expect([0, 999, 1000, 9994, 12_340, 125_000].map(formatDuration)).to.deep.equal(['0 ms', '999 ms', '1.00 s', '9.99 s', '12.3 s', '2 min 5 s']);
  });

  it('cuts text to a number of columns, wide characters counting two', () => {
    expect(cut('abcdef', 6)).to.equal('abcdef');
    expect(cut('abcdefg', 6)).to.equal('abcde…');
    expect(cut('表表表表', 5)).to.equal('表表…');
    expect(textWidth(cut('表表表表', 5))).to.equal(5);
    expect(cut('a\tb\nc', 10)).to.equal('a b c');
  });

  it('cuts a target name in its database part first, so schemas stay apart on a narrow terminal', () => {
    expect(cutTarget('stranger_app:tenant_a', 21)).to.equal('stranger_app:tenant_a');
    expect(cutTarget('stranger_app:tenant_a', 16)).to.equal('strang…:tenant_a');
    expect(cutTarget('stranger_app:tenant_b', 16)).to.not.equal(cutTarget('stranger_app:tenant_a', 16));
    expect(textWidth(cutTarget('stranger_app:tenant_a', 16))).to.equal(16);
    // A schema too long for the room: cut as any text.
    expect(cutTarget('db:a_very_long_schema_name', 10)).to.equal('db:a_very…');
  });

  const rows = [
    { target: 'dev:tenant_a', from: '<base>', to: 'cccc00000003', duration: '812 ms', result: 'ok (3 steps)', status: 'ok' as const },
    {
      target: 'dev:tenant_b',
      from: '',
      to: '',
      duration: '40 ms',
      result: 'FAILED: Revision aaaa00000001 (create network) failed during upgrade: relation "network" already exists. Rolled back.',
      status: 'failed' as const,
    },
  ];

  it('the summary table keeps every column and the whole result off a terminal', () => {
    const lines = summaryTable(rows, { colour: false, width: undefined });
    expect(lines[0]).to.match(/^target\s+from\s+to\s+duration\s+result$/);
    expect(lines[3]).to.match(/already exists\. Rolled back\.$/);
  });

  it('on a terminal the summary table fits the width: results cut, then columns left out', () => {
    const wide = summaryTable(rows, { colour: false, width: 100 });
    expect(wide.every((l) => l.length <= 100)).to.equal(true);
    expect(wide[0]).to.match(/^target\s+from\s+to\s+duration\s+result$/);
    expect(wide[3]).to.match(/^dev:tenant_b .*FAILED: Revision aaaa.*…$/);
    const narrow = summaryTable(rows, { colour: false, width: 40 });
    expect(narrow.every((l) => l.length <= 40)).to.equal(true);
    expect(narrow[0]).to.match(/^target\s+result$/);
    expect(narrow[2]).to.equal('dev:tenant_a  ok (3 steps)');
    expect(narrow[3]).to.equal('dev:tenant_b  FAILED: Revision aaaa0000…');
    expect(narrow[3]).to.have.length(40);
    const coloured = summaryTable(rows, { colour: true, width: 40 });
    expect(coloured[2]).to.equal('dev:tenant_a  \x1b[32mok (3 steps)\x1b[0m');
  });
});

describe('test terminal: replaying what a program wrote', () => {
  it('wraps at the width, and redraws in place with cursor-up and erase', () => {
    const r = replay('abcdefgh\r\nlive1\r\nlive 2\r\n\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Gdone\r\n\x1b[32mok\x1b[0m\r\n', {
      width: 5,
      watch: /live/,
    });
    expect(r.rows).to.deep.equal([
      { text: 'abcde', wrapped: false },
      { text: 'fgh', wrapped: true },
      { text: 'done', wrapped: false },
      { text: 'ok', wrapped: false },
    ]);
    expect(r.lines).to.deep.equal(['abcdefgh', 'done', 'ok']);
    expect(r.sgr).to.equal(2);
    expect(r.watchedWraps).to.equal(1);
    expect(r.erasures).to.equal(4);
    expect(r.erased).to.deep.equal(['2', 'live', 'live1']);
  });

  it('a line exactly as wide as the terminal does not wrap before its newline; erase-down removes the rows below', () => {
    const r = replay('abcde\r\nx\r\ny\r\n\x1b[2A\x1b[J', { width: 5 });
    expect(r.rows).to.deep.equal([{ text: 'abcde', wrapped: false }]);
  });
});
