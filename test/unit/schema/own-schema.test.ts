import { expect } from 'chai';
import { splitRoutineDefinition } from '../../../src/catalog/definitions';
import { renderRevisionSource } from '../../../src/render/render-revision-source';
import { renderSql } from '../../../src/render/render-sql';
import { OWN_SCHEMA_ID, OWN_SCHEMA_LITERAL, fillOwnSchema, markOwnSchema, sqlForms } from '../../../src/schema/own-schema';
import { routine } from '../diff/snapshot-literals';

describe('own-schema sentinels', function () {
  it('marks qualifiers and whole literals of the schema, and nothing else', function () {
    const text = `select * from "crmp".t join crmp.u using (id) join crmp_x.v on true where s = 'crmp' and n = 'crmp2' and x.crmp.y = 1`;
    expect(markOwnSchema(text, 'crmp')).to.equal(
      `select * from ${OWN_SCHEMA_ID}.t join ${OWN_SCHEMA_ID}.u using (id) join crmp_x.v on true where s = ${OWN_SCHEMA_LITERAL} and n = 'crmp2' and x.crmp.y = 1`,
    );
  });

  it('marks only the quoted form of a name that needs quotes', function () {
    expect(markOwnSchema('select 1 from "Tenant".t, Tenant.t', 'Tenant')).to.equal(`select 1 from ${OWN_SCHEMA_ID}.t, Tenant.t`);
  });

  it('turns the search_path entry of a routine into the identifier sentinel', function () {
    const def = `CREATE OR REPLACE FUNCTION "Crmp".f()\n RETURNS integer\n LANGUAGE sql\n SECURITY DEFINER\n SET search_path TO '"Crmp"', 'public'\nAS $function$select 1$function$\n`;
    const split = splitRoutineDefinition(def, '"Crmp".f', 'Crmp');
    expect(split).to.contain(` SET search_path TO ${OWN_SCHEMA_ID}, 'public'`);
    expect(fillOwnSchema(split, sqlForms('Crmp'))).to.contain(` SET search_path TO "Crmp", 'public'`);
  });

  it('reads the same routine from two schemas as equal text, and renders it for a third', function () {
    const body = (s: string) =>
      `CREATE OR REPLACE FUNCTION ${s}.f()\n RETURNS bigint\n LANGUAGE sql\nAS $function$select count(*) from ${s}.obs where n <> '${s}'$function$\n`;
    const a = splitRoutineDefinition(body('a'), 'a.f', 'a');
    expect(splitRoutineDefinition(body('b'), 'b.f', 'b')).to.equal(a);
    const r = routine('f', '', { definition: a });
    expect(renderSql([{ kind: 'createRoutine', routine: r }], { schema: 'c', header: false })).to.contain(`select count(*) from "c".obs where n <> 'c'`);
    const source = renderRevisionSource([{ kind: 'createRoutine', routine: r }]).upgrade;
    expect(source).to.contain('select count(*) from ${ctx.sql.id(ctx.schema)}.obs where n <> ${ctx.sql.lit(ctx.schema)}');
    expect(source).not.to.contain('\u0000');
  });
});
