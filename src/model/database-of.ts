import type { ColumnType } from 'kysely';
import type { ColumnBuilder, Generation } from './column';
import type { AnyModel } from './model';
import type { AnyTable, ColumnMap } from './table';
import type { AnyView } from './view';

type OrNull<T, Nullable extends boolean> = Nullable extends true ? T | null : T;

/**
 * The Kysely column type of a column builder: nullable columns select `T | null`
 * and may be left out of inserts; columns with a default (serial, identity by
 * default) are optional on insert; `generated always` columns are never written.
 */
export type KyselyColumnOf<C> =
  C extends ColumnBuilder<infer S, infer I, infer N extends boolean, infer G extends Generation>
    ? G extends 'always'
      ? ColumnType<OrNull<S, N>, never, never>
      : G extends 'default'
        ? ColumnType<OrNull<S, N>, OrNull<I, N> | undefined, OrNull<I, N>>
        : ColumnType<OrNull<S, N>, OrNull<I, N>, OrNull<I, N>>
    : never;

/** The Kysely row type of a column map. */
export type RowOf<Columns extends ColumnMap> = { -readonly [K in keyof Columns & string]: KyselyColumnOf<Columns[K]> };

type Relations<R extends AnyTable | AnyView> = {
  [T in R as T['name']]: RowOf<T['__columns']>;
};

/**
 * The Kysely `Database` interface of a model: its tables, views and
 * materialized views (views are typed by their optional `columns`).
 *
 * @example
 * ```ts
 * type CrmpDatabase = DatabaseOf<typeof crmp>;
 * const db = new Kysely<CrmpDatabase>({ dialect });
 * await db.withSchema('crmp').selectFrom('meta_station').select(['station_id', 'native_id']).execute();
 * // select "station_id", "native_id" from "crmp"."meta_station"
 * ```
 */
export type DatabaseOf<M extends AnyModel> = Relations<M['tables'][number]> & Relations<M['views'][number]> & Relations<M['materializedViews'][number]>;
