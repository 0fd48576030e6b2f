import { ConfigError } from '../errors';
import type { CollationNode } from './collation';
import type { DomainNode } from './domain';
import type { EnumTypeNode } from './enum-type';
import type { ExtensionNode } from './extension';
import type { FunctionNode } from './function-def';
import type { GrantNode } from './grant';
import type { PolicyNode } from './policy';
import type { SequenceNode } from './sequence';
import type { AnyTable } from './table';
import type { TriggerNode } from './trigger';
import { validateModel } from './validate-model';
import type { AnyView } from './view';

/**
 * A whole schema's worth of objects, schema-agnostic: the schema is chosen when
 * building ({@link createAll}) or rendering ({@link modelStatements}).
 */
export interface Model<
  Tables extends readonly AnyTable[] = readonly AnyTable[],
  Views extends readonly AnyView[] = readonly AnyView[],
  MaterializedViews extends readonly AnyView[] = readonly AnyView[],
> {
  readonly tables: Tables;
  readonly views: Views;
  readonly materializedViews: MaterializedViews;
  readonly extensions: readonly ExtensionNode[];
  readonly collations: readonly CollationNode[];
  readonly enums: readonly EnumTypeNode[];
  readonly domains: readonly DomainNode[];
  readonly sequences: readonly SequenceNode[];
  readonly functions: readonly FunctionNode[];
  readonly triggers: readonly TriggerNode[];
  readonly policies: readonly PolicyNode[];
  readonly grants: readonly GrantNode[];
}

/** Any model. */
export type AnyModel = Model<readonly AnyTable[], readonly AnyView[], readonly AnyView[]>;

/** What {@link defineModel} takes; everything but tables is optional. */
export interface ModelDefinition<Tables, Views, MaterializedViews> {
  readonly tables: Tables;
  readonly views?: Views;
  readonly materializedViews?: MaterializedViews;
  readonly extensions?: readonly ExtensionNode[];
  readonly collations?: readonly CollationNode[];
  readonly enums?: readonly EnumTypeNode[];
  readonly domains?: readonly DomainNode[];
  readonly sequences?: readonly SequenceNode[];
  readonly functions?: readonly FunctionNode[];
  readonly triggers?: readonly TriggerNode[];
  readonly policies?: readonly PolicyNode[];
  readonly grants?: readonly GrantNode[];
}

/**
 * Defines a model and checks it: unique names, references to existing tables
 * and columns, trigger functions, grant targets. Every problem is reported at once.
 *
 * @example
 * ```ts
 * export const crmp = defineModel({ tables: [metaNetwork, metaStation], views: [historyStationNetwork] });
 * export type CrmpDatabase = DatabaseOf<typeof crmp>;
 * ```
 * @throws ConfigError `INVALID_MODEL` listing every problem.
 */
export function defineModel<
  const Tables extends readonly AnyTable[],
  const Views extends readonly AnyView[] = readonly [],
  const MaterializedViews extends readonly AnyView[] = readonly [],
>(definition: ModelDefinition<Tables, Views, MaterializedViews>): Model<Tables, Views, MaterializedViews> {
  const model: Model<Tables, Views, MaterializedViews> = Object.freeze({
    tables: definition.tables,
    views: definition.views ?? ([] as unknown as Views),
    materializedViews: definition.materializedViews ?? ([] as unknown as MaterializedViews),
    extensions: definition.extensions ?? [],
    collations: definition.collations ?? [],
    enums: definition.enums ?? [],
    domains: definition.domains ?? [],
    sequences: definition.sequences ?? [],
    functions: definition.functions ?? [],
    triggers: definition.triggers ?? [],
    policies: definition.policies ?? [],
    grants: definition.grants ?? [],
  });
  const problems = validateModel(model);
  if (problems.length > 0) {
    throw new ConfigError('INVALID_MODEL', `The model is invalid: ${problems.join('; ')}.`);
  }
  return model;
}

/**
 * A model with every list present: models written against an older DSL (or by hand) may lack
 * the lists added since.
 */
export function completeModel(model: Partial<AnyModel> & Pick<AnyModel, 'tables'>): AnyModel {
  return {
    tables: model.tables,
    views: model.views ?? [],
    materializedViews: model.materializedViews ?? [],
    extensions: model.extensions ?? [],
    collations: model.collations ?? [],
    enums: model.enums ?? [],
    domains: model.domains ?? [],
    sequences: model.sequences ?? [],
    functions: model.functions ?? [],
    triggers: model.triggers ?? [],
    policies: model.policies ?? [],
    grants: model.grants ?? [],
  };
}
