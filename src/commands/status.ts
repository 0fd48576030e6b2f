import type { Target } from '../config/target';
import { describeError } from '../errors';
import { runFleet } from './fleet';
import { withTarget } from '../target/open-target';
import type { SessionCache } from '../target/session-cache';
import { targetName } from '../target/target-name';
import { quietOutput } from './output';
import type { Project } from './project';
import { readingTarget } from './target-options';

/** One row of `migrate status`. */
export interface StatusRow {
  readonly target: string;
  readonly label: string | undefined;
  readonly schema: string;
  /** `ok`: reachable; `unreachable`: connection failed; `no-schema`; `unknown-revision`: heads not in revisions/. */
  readonly state: 'ok' | 'unreachable' | 'no-schema' | 'unknown-revision';
  readonly current: readonly string[];
  readonly heads: readonly string[];
  /** Revisions `upgrade heads` would apply; undefined when not computable. */
  readonly pending: number | undefined;
  /** With `drift`: how many operations separate the schema from the model (0: matches). */
  readonly drift?: number | undefined;
  readonly error?: string;
}

/**
 * `status`: for every target (label x schema), its current revision(s), the head(s), and how many
 * revisions are pending. Targets are read in parallel; an unreachable database shows as such in its
 * rows and the rest of the matrix is still filled in. Takes no lock and changes nothing.
 */
export async function status(options: {
  project: Project;
  targets: readonly Target[];
  jobs: number;
  lockTimeoutMs: number;
  sessions?: SessionCache;
  /** Also compare each reachable schema with this model (autogenerate's snapshot diff). */
  drift?: import('../model/model').AnyModel;
  /** With `drift`: the dev database to build the model in (default `[alembic] dev_url`, else embedded). */
  devUrl?: string | undefined;
}): Promise<StatusRow[]> {
  const { project } = options;
  const heads = [...project.graph.heads];
  const results = await runFleet({
    targets: options.targets,
    jobs: options.jobs,
    keepGoing: true,
    run: (target) =>
      withTarget(target, readingTarget(project, options), async (s): Promise<StatusRow> => {
        const base = { target: targetName(target), label: target.label, schema: target.schema, current: s.heads, heads };
        if (!s.schemaExists) return { ...base, state: 'no-schema', pending: undefined };
        if (s.heads.some((h) => !project.graph.get(h))) return { ...base, state: 'unknown-revision', pending: undefined };
        return { ...base, state: 'ok', pending: project.graph.planUpgrade(s.heads, 'heads').length };
      }),
  });
  if (options.drift) {
    const { compareModel } = require('./autogenerate') as typeof import('./autogenerate');
    const model = options.drift;
    await runFleet({
      targets: options.targets.filter((_, i) => results[i]!.status === 'ok' && results[i]!.value!.state === 'ok'),
      jobs: options.jobs,
      keepGoing: true,
      run: async (target) => {
        const i = options.targets.indexOf(target);
        const r = await compareModel({ project, target, model, lockTimeoutMs: options.lockTimeoutMs, output: quietOutput, devUrl: options.devUrl });
        results[i] = { ...results[i]!, value: { ...results[i]!.value!, drift: r.operations.length } };
      },
    });
  }
  return results.map((r) =>
    r.status === 'ok'
      ? r.value!
      : {
          target: targetName(r.target),
          label: r.target.label,
          schema: r.target.schema,
          state: 'unreachable',
          current: [],
          heads,
          pending: undefined,
          error: describeError(r.error),
        },
  );
}
