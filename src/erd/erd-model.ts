/**
 * What an entity-relationship diagram shows: plain data, read from the catalog by
 * read-erd-model.ts and drawn by the pure renderers.
 */

export interface ErdColumn {
  readonly name: string;
  /** As `format_type` spells it, e.g. `character varying(255)`. */
  readonly type: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly foreignKey: boolean;
  /** Part of a UNIQUE constraint. */
  readonly unique: boolean;
}

export type ErdEntityKind = 'table' | 'view' | 'materialized view' | 'foreign table' | 'external';

export interface ErdEntity {
  /** The relation name; `schema.name` for an `external` table of another schema that a foreign key points to. */
  readonly name: string;
  readonly kind: ErdEntityKind;
  readonly columns: readonly ErdColumn[];
}

export interface ErdRelation {
  /** `foreign-key`: `from` references `to`. `view-source`: view `from` reads `to`. */
  readonly kind: 'foreign-key' | 'view-source';
  /** Constraint name, or `view -> table`. */
  readonly name: string;
  readonly from: string;
  readonly fromColumns: readonly string[];
  readonly to: string;
  readonly toColumns: readonly string[];
  /** Every referencing column is nullable: a row may have no parent. */
  readonly optional: boolean;
  /** The referencing columns are unique: one-to-one. */
  readonly oneToOne: boolean;
}

export interface ErdModel {
  readonly schema: string;
  /** Tables first, then views, each sorted by name. */
  readonly entities: readonly ErdEntity[];
  readonly relations: readonly ErdRelation[];
}

export type ErdFormat = 'mermaid' | 'dot' | 'svg';

export const ERD_FORMATS: readonly ErdFormat[] = ['mermaid', 'dot', 'svg'];

/** True for entities drawn as views. */
export function isView(e: ErdEntity): boolean {
  return e.kind === 'view' || e.kind === 'materialized view';
}
