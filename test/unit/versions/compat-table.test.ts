import { expect } from 'chai';
import * as path from 'node:path';
import { VERSION_FEATURES } from '../../../src/diff/version-requirements';
import { SUPPORTED_MAJORS } from '../../../src/embedded/versions';
import { ROOT } from '../../support/cli';

const table = require(path.join(ROOT, 'scripts', 'versions', 'compat-table.js')) as {
  MAJORS: number[];
  readmeBlock(): string;
  readmeWithBlock(readme: string): string;
  check(): string[];
  verify(results: { major: number; features: { feature: string; outcome: string }[] }[]): string[];
};

describe('compatibility table (unit)', () => {
  it('README.md and docs/compatibility.md are what the generator makes from the feature list', () => {
    expect(table.check()).to.deep.equal([]);
  });

  it('has a row per feature and a column per supported major, saying where each is refused', () => {
    expect(table.MAJORS).to.deep.equal([...SUPPORTED_MAJORS]);
    const block = table.readmeBlock();
    for (const f of VERSION_FEATURES) {
      const row = block.split('\n').find((l) => l.startsWith(`| ${f.name} |`));
      expect(row, f.name).to.be.a('string');
      const cells = row!
        .split('|')
        .slice(2, -1)
        .map((c) => c.trim());
      expect(cells).to.deep.equal(SUPPORTED_MAJORS.map((m) => (m >= f.since ? 'yes' : `refused: needs ${f.since}`)));
    }
  });

  it('puts the block under its heading before the tests section, and replaces only the block', () => {
    const readme = '# X\n\n## Usage\n\ntext\n\n## Tests and CI\n\nmore\n';
    const once = table.readmeWithBlock(readme);
    expect(once.indexOf('## PostgreSQL versions')).to.be.lessThan(once.indexOf('## Tests and CI'));
    expect(table.readmeWithBlock(once)).to.equal(once);
    const edited = once.replace('| yes |', '| no |');
    expect(table.readmeWithBlock(edited)).to.equal(once);
  });

  it('flags a run whose recorded outcome disagrees with the list', () => {
    const f = VERSION_FEATURES[0]!;
    const all = VERSION_FEATURES.map((x) => ({ feature: x.id, outcome: 13 >= x.since ? 'supported' : 'refused' }));
    expect(table.verify([{ major: 13, features: all }])).to.deep.equal([]);
    const wrong = all.map((x) => (x.feature === f.id ? { ...x, outcome: 'supported' } : x));
    expect(table.verify([{ major: 13, features: wrong }])).to.have.length(1);
    expect(table.verify([{ major: 13, features: [] }])).to.have.length(VERSION_FEATURES.length);
  });
});
