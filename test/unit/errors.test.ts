import { expect } from 'chai';
import { RetortError, RevisionFailedError } from '../../src/errors';

describe('errors', () => {
  it('carries code, exit code and cause', () => {
    const cause = new Error('boom');
    const e = new RevisionFailedError('abc', 'revision abc failed', { cause });
    expect(e).to.be.instanceOf(RetortError);
    expect(e.code).to.equal('REVISION_FAILED');
    expect(e.exitCode).to.equal(1);
    expect(e.cause).to.equal(cause);
  });
});
