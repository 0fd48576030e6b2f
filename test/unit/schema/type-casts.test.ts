import { expect } from 'chai';
import { baseTypeName, conversion, conversionNote } from '../../../src/schema/type-casts';

describe('type casts for ALTER COLUMN ... TYPE', function () {
  it('strips type modifiers', function () {
    expect(baseTypeName('character varying(10)')).to.equal('character varying');
    expect(baseTypeName('numeric(12,2)')).to.equal('numeric');
    expect(baseTypeName('timestamp(3) with time zone')).to.equal('timestamp with time zone');
    expect(baseTypeName('interval year to month')).to.equal('interval');
  });

  it('knows which changes PostgreSQL makes by itself', function () {
    expect(conversion('integer', 'bigint')).to.equal('assignment');
    expect(conversion('bigint', 'integer')).to.equal('assignment');
    expect(conversion('character varying(10)', 'character varying(5)')).to.equal('assignment');
    expect(conversion('uuid', 'text')).to.equal('assignment');
    expect(conversion('date', 'timestamp with time zone')).to.equal('assignment');
    expect(conversion('integer[]', 'bigint[]')).to.equal('assignment');
    expect(conversion('public.geometry', 'text')).to.equal('assignment');
  });

  it('writes a cast where only an explicit one exists, and goes through text where none does', function () {
    expect(conversion('text', 'integer')).to.equal('explicit');
    expect(conversion('character varying(36)', 'uuid')).to.equal('explicit');
    expect(conversion('integer', 'boolean')).to.equal('explicit');
    expect(conversion('bigint', 'timestamp without time zone')).to.equal('via text');
    expect(conversion('timestamp without time zone', 'bigint')).to.equal('via text');
    expect(conversion('integer', 'integer[]')).to.equal('via text');
    expect(conversion('text', 'public.citext')).to.equal('explicit');
    expect(conversion('public.geometry(Point,4326)', 'public.geography')).to.equal('unknown');
  });

  it('explains what needs a review', function () {
    expect(conversionNote('t', 'a', 'text', 'integer')).to.contain('USING "a"::integer');
    expect(conversionNote('t', 'a', 'bigint', 'timestamp without time zone')).to.contain('USING "a"::text::timestamp without time zone');
    expect(conversionNote('t', 'a', 'integer', 'bigint')).to.equal(null);
    // a string into an extension's type: USING is a precaution, nothing to review
    expect(conversionNote('t', 'a', 'text', 'public.citext')).to.equal(null);
  });
});
