import { expect } from 'chai';
import { parseConfig, expandEnv } from '../../../src/config/config';
import { connectTimeoutMs, maskSecrets, maskUrl, normalizeUrl, parseKeywordDsn } from '../../../src/config/dsn';
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

  it('refuses what configparser refuses, naming each line: stray lines, keys outside a section, duplicates', () => {
    const text = '[alembic]\nschema_name = a\nSchema_Name = b\njunk line\n[dev]\nurl = postgresql://h/d\n[dev]\nurl = postgresql://h/e\n  continued\n';
    expect(() => parseConfig(text, '/p/alembic.ini'))
      .to.throw(ConfigError)
      .with.property('message')
      .that.equals(
        '/p/alembic.ini: line 3: key "Schema_Name" is set twice in [alembic] (first on line 2); line 4: "junk line" is not a [section] header, a key = value line or a comment; ' +
          'line 7: section [dev] appears twice (first on line 5); line 9: an indented line continues the value above it, which is not supported: write the value on one line. Fix the file and run again.',
      );
    expect(() => parseConfig('url = x\n', '/p/a.ini')).to.throw(/line 1: key "url" comes before any \[section\]/);
    expect(() => parseConfig('\u0000\u0001ELF\u0002binary\n', '/p/a.ini')).to.throw(/line 1: it holds binary data/);
    expect(() => parseConfig('[dev]\nurl: postgresql://h/d\n', '/p/a.ini')).to.throw(/write key = value, not key: value/);
  });

  it("keeps a value's own # and ;, ends it at a comment after a blank, and interpolates %(here)s and %%", () => {
    const c = parseConfig(
      '[alembic]\nscript_location = %(here)s/v   ; relative to this file\n[dev]\nsqlalchemy.url = postgresql://u:p%%40ss#1;x@h/d  # a comment\n',
      '/srv/app/alembic.ini',
    );
    expect(c.scriptLocation).to.equal('/srv/app/v');
    expect(c.labels.get('dev')!.rawUrl).to.equal('postgresql://u:p%40ss#1;x@h/d');
  });

  it('expands ${VAR} in every [alembic] value, and reports an unset one only when it is used', () => {
    const text =
      '[alembic]\nschema_name = ${PYCDS_SCHEMA_NAME:-crmp}\nsu_role_name = ${PYCDS_SU_ROLE_NAME}\nscript_location = ${APP_DIR:-app}/revisions\nmodel = ${MODEL:-model/index.ts}\n';
    const c = parseConfig(text, '/p/alembic.ini', { PYCDS_SCHEMA_NAME: 'tenant_a' });
    expect(c.schemaName).to.equal('tenant_a');
    expect(c.scriptLocation).to.equal('/p/app/revisions');
    expect(c.model).to.equal('/p/model/index.ts');
    expect(parseConfig(text, '/p/alembic.ini', {}).schemaName).to.equal('crmp');
    expect(() => c.suRoleName).to.throw(
      ConfigError,
      /\[alembic\] su_role_name in \/p\/alembic\.ini uses \$\{PYCDS_SU_ROLE_NAME\}, which is not set\. Export PYCDS_SU_ROLE_NAME, or give it a default in alembic\.ini: \$\{PYCDS_SU_ROLE_NAME:-value\}\./,
    );
    // the role is resolved with every target: an unset variable there stops the command at once
    expect(() => resolveTargets({ config: c, x: [], url: 'postgresql://h/d', env: {} })).to.throw(ConfigError, /PYCDS_SU_ROLE_NAME/);
  });

  it("takes a single-database project's [alembic] sqlalchemy.url after DATABASE_URL", () => {
    const c = parseConfig('[alembic]\nsqlalchemy.url = postgresql://me@db/app\n', '/p/alembic.ini');
    expect(resolveTargets({ config: c, x: [], env: {} })[0]!.url).to.equal('postgresql://me@db/app');
    expect(resolveTargets({ config: c, x: [], env: { DATABASE_URL: 'postgresql://env@h/e' } })[0]!.url).to.equal('postgresql://env@h/e');
    expect(() => resolveTargets({ config: parseConfig('', '/p/a.ini'), x: [], env: {} })).to.throw(ConfigError, /no database given/);
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
    expect(resolveTargets({ config: parseConfig('', '/p/a.ini'), x: [], env: { DATABASE_URL: 'postgresql://h/d' } })[0]!.schema).to.equal('public');
    expect(resolveTargets({ config, x: ['db=test'], env })[0]!.url).to.equal('postgresql://u:pw@db:5432/t');
  });

  it('names several databases and schemas as a product', () => {
    const t = resolveTargets({ config, x: ['db=all'], env: { PW: 'p', SCHEMA_NAME: 'a,b' } });
    expect(t.map((x) => `${x.label}:${x.schema}`)).to.deep.equal(['dev:a', 'dev:b', 'test:a', 'test:b']);
  });

  it('refuses unknown keys, unknown labels and hostile names', () => {
    expect(() => parseXArgs(['colour=red'])).to.throw(/not a known key/);
    expect(() => parseXArgs(['db'])).to.throw(/is not key=value/);
    expect(() => parseXArgs(['schema=a', 'schema=b'])).to.throw(
      ConfigError,
      /-x schema= is given twice \(a, then b\)\. Give it once; name several with commas, e\.g\. -x schema=a,b\./,
    );
    expect(() => resolveTargets({ config, x: ['db=prod'], env: {} })).to.throw(/unknown database label "prod"\. Labels in \/proj\/alembic\.ini: dev, test/);
    expect(() => resolveTargets({ config, x: ['db=dev', 'schema=a"b'], env: {} })).to.throw(/schema name "a\\"b" is not a valid identifier/);
    expect(() => resolveTargets({ config, x: ['db=dev', 'su_role=x y'], env: {} })).to.throw(/role name "x y" is not a valid identifier/);
    for (const system of ['pg_catalog', 'pg_toast', 'information_schema', 'PG_temp_3']) {
      expect(() => resolveTargets({ config, x: ['db=dev', `schema=${system}`], env: {} })).to.throw(ConfigError, /is one of PostgreSQL's own/);
    }
  });
});

describe('config: DSNs', () => {
  it('normalises SQLAlchemy and postgres:// URLs and keeps embedded: ones', () => {
    expect(normalizeUrl('postgresql+psycopg://u@h/d', 'x')).to.equal('postgresql://u@h/d');
    expect(normalizeUrl('postgres://u@h/d', 'x')).to.equal('postgresql://u@h/d');
    expect(normalizeUrl('embedded:./.retort/local', 'x')).to.equal('embedded:./.retort/local');
    expect(() => normalizeUrl('mysql://u:pw@h/d', 'label dev')).to.throw(/label dev: database address mysql:\/\/u:\*\*\*@h\/d is not usable/);
  });

  it('accepts libpq keyword DSNs as the URL they mean', () => {
    expect(normalizeUrl("host=db port=5433 dbname=crmp user=me password='it\\'s s3cret'", '--url')).to.equal("postgresql://me:it's%20s3cret@db:5433/crmp");
    expect(normalizeUrl('host=/var/run/postgresql dbname=x sslmode=disable', '--url')).to.equal(
      'postgresql:///x?host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable',
    );
    expect(parseKeywordDsn("a=1 b = '2 3' c=x\\ y")).to.deep.equal({ a: '1', b: '2 3', c: 'x y' });
    expect(() => normalizeUrl('host=db dbname=x password=hunter22 colour=red', '--url'))
      .to.throw(ConfigError, /unknown keyword colour/)
      .with.property('message')
      .that.not.contain('hunter22');
    for (const url of ['postgresql://u:hunter22@h/d?sslmode=bogus', 'host=h password=hunter22 sslmode=bogus']) {
      expect(() => normalizeUrl(url, '--url'))
        .to.throw(ConfigError, /sslmode=bogus is not one of disable, allow, prefer, require, verify-ca, verify-full/)
        .with.property('message')
        .that.not.contain('hunter22');
    }
    expect(normalizeUrl('postgresql://u@h/d?sslmode=verify-full', '--url')).to.equal('postgresql://u@h/d?sslmode=verify-full');
    expect(() => normalizeUrl("host=db password='hunter22", '--url'))
      .to.throw(/opens a quote it does not close/)
      .with.property('message')
      .that.not.contain('hunter22');
  });

  it('masks every form of password', () => {
    for (const text of [
      'postgresql://u:hunter22@h/d',
      'postgresql://u@h/d?sslmode=require&password=hunter22',
      'host=h password=hunter22 dbname=d',
      "host=h password = 'hunter 22' dbname=d",
      'PGPASSWORD is hunter22',
      'postgresql://u:hunter%2022@h/d',
    ]) {
      expect(maskSecrets(text, ['hunter22', "host=h password='hunter 22'"])).not.to.match(/hunter/);
    }
    expect(maskSecrets('conn host=h password=hunter22 dbname=d failed')).to.equal('conn host=h password=*** dbname=d failed');
  });

  it('reads the connection timeout from the URL, then PGCONNECT_TIMEOUT, else 10 s', () => {
    expect(connectTimeoutMs('postgresql://h/d?connect_timeout=3', { PGCONNECT_TIMEOUT: '7' })).to.equal(3000);
    expect(connectTimeoutMs('postgresql://h/d', { PGCONNECT_TIMEOUT: '7' })).to.equal(7000);
    expect(connectTimeoutMs('postgresql://h/d', {})).to.equal(10_000);
    expect(connectTimeoutMs('postgresql://h/d?connect_timeout=1', {})).to.equal(2000);
    expect(connectTimeoutMs('postgresql://h/d?connect_timeout=0', {})).to.equal(undefined);
    expect(() => connectTimeoutMs('postgresql://h/d', { PGCONNECT_TIMEOUT: 'soon' })).to.throw(ConfigError, /PGCONNECT_TIMEOUT/);
  });

  it('masks passwords in URLs and in any text', () => {
    expect(maskUrl('postgresql://u:p%40ss@h:5432/d')).to.equal('postgresql://u:***@h:5432/d');
    expect(maskUrl('postgresql://u@h/d?password=x&sslmode=require')).to.equal('postgresql://u@h/d?password=***&sslmode=require');
    expect(maskSecrets('failed for postgresql://a:b@c/d with secretpw', ['postgresql://a:secretpw@c/d'])).to.equal(
      'failed for postgresql://a:***@c/d with ***',
    );
  });
});
