import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { selectSchemas } from '../../../src/commands/schemas';

describe('commands/schemas: which schemas --schemas selects', () => {
  const existing = ['crmp', 'information_schema', 'pg_catalog', 'pg_toast', 'public', 'tenant_1', 'tenant_10', 'tenant_a'];

  it("'*' selects every application schema, not public nor PostgreSQL's own", () => {
    expect(selectSchemas(existing, ['*'])).to.deep.equal(['crmp', 'tenant_1', 'tenant_10', 'tenant_a']);
    expect(selectSchemas(existing, ['p*'])).to.deep.equal([]);
  });

  it('public only when a pattern names it exactly', () => {
    expect(selectSchemas(existing, ['*', 'public'])).to.deep.equal(['crmp', 'public', 'tenant_1', 'tenant_10', 'tenant_a']);
    expect(selectSchemas(existing, ['public'])).to.deep.equal(['public']);
  });

  it('* and ? are the only wildcards; other characters match themselves', () => {
    expect(selectSchemas(existing, ['tenant_?'])).to.deep.equal(['tenant_1', 'tenant_a']);
    expect(selectSchemas(existing, ['tenant_*'])).to.deep.equal(['tenant_1', 'tenant_10', 'tenant_a']);
    expect(selectSchemas(['a.b', 'axb'], ['a.b'])).to.deep.equal(['a.b']);
    expect(selectSchemas(existing, ['crmp', 'nope'])).to.deep.equal(['crmp']);
  });

  it('refuses a system schema named exactly, saying Retort never migrates one', () => {
    for (const name of ['pg_catalog', 'information_schema']) {
      expect(() => selectSchemas(existing, [name]))
        .to.throw(ConfigError, /one of PostgreSQL's own/)
        .with.property('code', 'SYSTEM_SCHEMA');
    }
  });
});
