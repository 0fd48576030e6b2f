import { expect } from 'chai';
import { describeOperation, describeOperations } from '../../../src/render/describe-operation';
import type { Sequence } from '../../../src/schema/snapshot';
import { READER_ROLE } from '../../../src/schema/snapshot';
import { col, table } from '../diff/snapshot-literals';

describe('describeOperation', function () {
  it("says what changed in Alembic's words", function () {
    expect(describeOperation({ kind: 'createTable', table: table('file_meta_data', [col('id', 'integer')]) })).to.equal(
      "Detected added table 'file_meta_data'",
    );
    expect(describeOperation({ kind: 'addColumn', table: 'station', column: col('name', 'text') })).to.equal("Detected added column 'station.name'");
    expect(describeOperation({ kind: 'dropColumn', table: 'station', column: col('name', 'text'), destructive: true, reason: 'data' })).to.equal(
      "Detected removed column 'station.name' (destructive)",
    );
    expect(
      describeOperation({
        kind: 'alterColumnType',
        table: 't',
        column: 'c',
        from: { type: 'integer', collation: null, enumType: false },
        to: { type: 'bigint', collation: null, enumType: false },
      }),
    ).to.equal("Detected type change on 't.c': integer -> bigint");
    expect(
      describeOperation({ kind: 'grant', target: { kind: 'table', name: 't' }, grant: { grantee: READER_ROLE, privilege: 'SELECT', grantable: false } }),
    ).to.equal("Detected granted SELECT on table 't' to the login user");
    expect(describeOperation({ kind: 'renameColumn', table: 't', from: 'a', to: 'b', review: true })).to.equal("Detected renamed column 't.a' to 'b' (review)");
  });

  it("a plan's lines leave out the owning column of a sequence the same plan adds (part of a serial column), not of an existing one", function () {
    const sequence = {
      name: 't_id_seq',
      ownedBy: null,
      comment: null,
      grants: [],
      owner: null,
    } as unknown as Sequence;
    const owner = { kind: 'setSequenceOwner', name: 't_id_seq', from: null, to: { table: 't', column: 'id' } } as const;
    expect(describeOperations([{ kind: 'createSequence', sequence }, { kind: 'createTable', table: table('t', [col('id', 'integer')]) }, owner])).to.deep.equal(
      ["Detected added sequence 't_id_seq'", "Detected added table 't'"],
    );
    expect(describeOperations([owner])).to.deep.equal(["Detected changed owning column of sequence 't_id_seq'"]);
  });
});
