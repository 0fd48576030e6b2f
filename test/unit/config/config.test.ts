import { expect } from 'chai';
import { parseConfig, expandEnv } from '../../../src/config/config';
import { maskSecrets, maskUrl, normalizeUrl } from '../../../src/config/dsn';
import { parseXArgs, resolveTargets } from '../../../src/config/target';
import { ConfigError } from '../../../src/errors';

const INI = `
[alembic]
script_location = %(here)s/revs
schema_name = crmp_default
su_role_name = pcicdba

[loggers]
keys = root

[dev]
sqlalchemy.url = postgresql+psycopg2://tester@localhost:30599/pycds_test

[test]
url = postgres://u:\${PW}@db:5432/t
`;

describe('config: alembic.ini', () => {
  const config = parseConfig(INI, '/proj/alembic.ini');

  it('reads the [alembic] section and labels, ignoring logging sections', () => {
    expect(config.scriptLocation).to.equal('/proj/revs');
    expect(config.versionTable).to.equal('alembic_version');
    expect(config.schemaName).to.equal('crmp_default');
    expect([...config.labels.keys()]).to.deep.equal(['dev', 'test']);
  });

  it('collects every problem of a malformed file in one error', () => {
    expect(() => parseConfig('[alembic]\nversion_table = bad name\n[a]\nfoo = 1\n[b]\nurl =\n', '/p/x.ini'))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/version_table "bad name" is not a valid identifier; section \[a\] has no sqlalchemy\.url \(or url\); section \[b\] has an empty url/);
  });

  it('expands ${VAR} and ${VAR:-default}, and names an unset variable', () => {
    expect(expandEnv('a${X}b${Y:-z}', { X: '1' }, 'w')).to.equal('a1bz');
    expect(() => expandEnv('${NOPE}', {}, '[dev] in alembic.ini')).to.throw(/\[dev\] in alembic\.ini uses \$\{NOPE\}, which is not set/);
  });

  it('resolves targets: --url beats -x db, which beats DATABASE_URL; -x schema beats SCHEMA_NAME beats the ini', () => {
    const env = { DATABASE_URL: 'postgresql://env@h/e', SCHEMA_NAME: 'from_env', PW: 'pw' };
    expect(resolveTargets({ config, x: ['db=dev'], url: 'postgresql://flag@h/f', env })[0]!.url).to.equal('postgresql://flag@h/f');
    const dev = resolveTargets({ config, x: ['db=dev'], env })[0]!;
    expect(dev).to.deep.equal({ label: 'dev', url: 'postgresql://tester@localhost:30599/pycds_test', schema: 'from_env', suRole: 'pcicdba' });
    expect(resolveTargets({ config, x: [], env })[0]!.url).to.equal('postgresql://env@h/e');
    expect(resolveTargets({ config, x: ['db=dev', 'schema=x_flag'], env })[0]!.schema).to.equal('x_flag');
    expect(resolveTargets({ config, x: ['db=dev'], env: {} })[0]!.schema).to.equal('crmp_default');
    expect(resolveTargets({ config: parseConfig('', '/p/a.ini'), x: [], env: { DATABASE_URL: 'postgresql://h/d' } })[0]!.schema).to.equal('crmp');
    expect(resolveTargets({ config, x: ['db=test'], env })[0]!.url).to.equal('postgresql://u:pw@db:5432/t');
  });

  it('names several databases and schemas as a product', () => {
    const t = resolveTargets({ config, x: ['db=all'], env: { PW: 'p', SCHEMA_NAME: 'a,b' } });
    expect(t.map((x) => `${x.label}:${x.schema}`)).to.deep.equal(['dev:a', 'dev:b', 'test:a', 'test:b']);
  });

  it('refuses unknown keys, unknown labels and hostile names', () => {
    expect(() => parseXArgs(['colour=red'])).to.throw(/not a known key/);
    expect(() => parseXArgs(['db'])).to.throw(/is not key=value/);
    expect(() => resolveTargets({ config, x: ['db=prod'], env: {} })).to.throw(/unknown database label "prod"\. Labels in \/proj\/alembic\.ini: dev, test/);
    expect(() => resolveTargets({ config, x: ['db=dev', 'schema=a"b'], env: {} })).to.throw(/schema name "a\\"b" is not a valid identifier/);
    expect(() => resolveTargets({ config, x: ['db=dev', 'su_role=x y'], env: {} })).to.throw(/role name "x y" is not a valid identifier/);
  });
});

describe('config: DSNs', () => {
  it('normalises SQLAlchemy and postgres:// URLs and keeps embedded: ones', () => {
    expect(normalizeUrl('postgresql+psycopg://u@h/d', 'x')).to.equal('postgresql://u@h/d');
    expect(normalizeUrl('postgres://u@h/d', 'x')).to.equal('postgresql://u@h/d');
    expect(normalizeUrl('embedded:./.retort/local', 'x')).to.equal('embedded:./.retort/local');
    expect(() => normalizeUrl('mysql://u:pw@h/d', 'label dev')).to.throw(/label dev: database URL mysql:\/\/u:\*\*\*@h\/d is not usable/);
  });

  it('masks passwords in URLs and in any text', () => {
    expect(maskUrl('postgresql://u:p%40ss@h:5432/d')).to.equal('postgresql://u:***@h:5432/d');
    expect(maskUrl('postgresql://u@h/d?password=x&sslmode=require')).to.equal('postgresql://u@h/d?password=***&sslmode=require');
    expect(maskSecrets('failed for postgresql://a:b@c/d with secretpw', ['postgresql://a:secretpw@c/d'])).to.equal('failed for postgresql://a:***@c/d with ***');
  });
});
