import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type RawBuilder } from 'kysely';
import { ConfigError } from '../errors';
import { ownSchemaScope, resolveExpression, type SqlExpression } from './schema-scope';

// A Kysely that never connects: it only turns `sql` builders into PostgreSQL text.
const compiler = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * Compiles a `sql` builder to DDL text. DDL takes no bind parameters, so a value
 * interpolated as a parameter (`${'text'}` instead of `${sql.lit('text')}`) is an error.
 *
 * @example
 * ```ts
 * compileSql(sql`select ${sql.lit(1)} from ${sql.id('crmp', 'obs_raw')}`, 'view v');
 * // 'select 1 from "crmp"."obs_raw"'
 * ```
 */
export function compileSql(builder: RawBuilder<unknown>, what: string): string {
  const compiled = builder.compile(compiler);
  if (compiled.parameters.length > 0) {
    throw new ConfigError(
      'MODEL_SQL_PARAMETER',
      `The SQL of ${what} interpolates a value as a bind parameter (${JSON.stringify(compiled.parameters[0])}); DDL cannot take parameters: use sql.lit(), sql.id() or sql.raw().`,
    );
  }
  return compiled.sql;
}

/**
 * The text of a model expression, with the schema left open: `s('t')` becomes the own-schema
 * sentinel, which renderers fill in for the schema they target.
 *
 * @example
 * ```ts
 * expressionText((s) => sql`select * from ${s('t')}`, 'view v'); // 'select * from <own schema>."t"'
 * ```
 */
export function expressionText(expression: SqlExpression, what: string): string {
  return compileSql(resolveExpression(expression, ownSchemaScope), what);
}
