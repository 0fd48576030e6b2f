import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { resolveInitOptions, splitList } from '../../../src/provision/init-options';

const base = { serverUrl: 'postgresql://postgres@h/postgres', database: 'crmp', schemas: ['crmp'], user: 'tester' };

describe('provision/init-options (unit)', () => {
  it('takes no application defaults: no su role, plpgsql only, no optional extensions', () => {
    const o = resolveInitOptions(base);
    expect(o.suRole).to.equal(undefined);
    expect(o.extensions).to.deep.equal(['plpgsql']);
    expect(o.optionalExtensions).to.deep.equal([]);
  });

  it('keeps what it is given, including extension names with a hyphen', () => {
    const o = resolveInitOptions({ ...base, suRole: 'dba', extensions: ['uuid-ossp'], optionalExtensions: [] });
    expect(o.suRole).to.equal('dba');
    expect(o.extensions).to.deep.equal(['uuid-ossp']);
    expect(o.optionalExtensions).to.deep.equal([]);
  });

  it('collects every problem into one BAD_IDENTIFIER error', () => {
    let error: unknown;
    try {
      resolveInitOptions({ ...base, database: '1db', schemas: ['a', 'a', 'b-c'], user: 'x'.repeat(64), suRole: 'ok', extensions: ['bad ext'] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError).with.property('code', 'BAD_IDENTIFIER');
    const message = (error as Error).message;
    for (const part of ['database "1db"', 'schema "b-c"', 'schema "a" is listed twice', 'longer than 63 bytes', 'extension "bad ext"']) {
      expect(message).to.include(part);
    }
  });

  it('needs at least one schema and distinct user and su role', () => {
    expect(() => resolveInitOptions({ ...base, schemas: [] })).to.throw(ConfigError, 'no schema given');
    expect(() => resolveInitOptions({ ...base, suRole: 'tester' })).to.throw(ConfigError, 'must differ');
  });

  it('splits comma lists, dropping blanks', () => {
    expect(splitList(' a, b,,c ')).to.deep.equal(['a', 'b', 'c']);
    expect(splitList(undefined)).to.deep.equal([]);
  });
});
