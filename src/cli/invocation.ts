import type { Command } from 'commander';
import type { ErrorCode } from '../errors';
import type { RetortConfig } from '../config/config';
import type { Target } from '../config/target';
import type { Project } from '../commands/project';
import type { Output } from '../commands/output';
import type { Io } from './io';
import { okTarget } from './json-envelope';

/** Global options every command sees. */
export interface GlobalOptions {
  config?: string;
  x: string[];
  url?: string;
  json?: boolean;
  debug?: boolean;
  lockTimeout: string;
  jobs: string;
  keepGoing?: boolean;
  schemas?: string;
}

/** What an action needs: resolved lazily so `history` never loads a database driver. */
export class Invocation {
  constructor(
    readonly io: Io,
    readonly opts: GlobalOptions,
  ) {}

  get json(): boolean {
    return Boolean(this.opts.json);
  }
  get lockTimeoutMs(): number {
    return Number(this.opts.lockTimeout) * 1000;
  }
  get jobs(): number {
    return Math.max(1, Math.floor(Number(this.opts.jobs)));
  }
  get keepGoing(): boolean {
    return Boolean(this.opts.keepGoing);
  }

  /**
   * Targets, with `--schemas <pattern>[,<pattern>]` expanded to the existing schemas that match in
   * each database (`*` and `?` wildcards). Without it, the same as {@link Invocation.targets}.
   */
  async expandedTargets(): Promise<Target[]> {
    if (!this.opts.schemas) return this.targets();
    const t = require('../config/target') as typeof import('../config/target');
    const { listSchemas } = require('../commands/schemas') as typeof import('../commands/schemas');
    const input = { config: this.config(), x: this.opts.x, url: this.opts.url, env: this.io.env };
    const suRole = t.resolveSuRole(input);
    const dbs = t.resolveDatabases(input);
    this.io.secrets.push(...dbs.map((d) => d.url));
    const patterns = this.opts.schemas
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const out: Target[] = [];
    for (const d of dbs) {
      const schemas = await listSchemas({ url: d.url, label: d.label, baseDir: this.config().dir, patterns });
      out.push(...schemas.map((schema) => ({ label: d.label, url: d.url, schema, suRole })));
    }
    if (out.length === 0) {
      const { ConfigError } = require('../errors') as typeof import('../errors');
      throw new ConfigError(
        'NO_SCHEMAS',
        `--schemas ${this.opts.schemas} matches no schema in ${dbs.map((d) => d.label ?? 'the database').join(', ')}. Check the pattern (wildcards: * and ?).`,
      );
    }
    return out;
  }

  private configCache: RetortConfig | undefined;
  config(): RetortConfig {
    if (!this.configCache) {
      const { loadConfig } = require('../config/load') as typeof import('../config/load');
      this.configCache = loadConfig({ path: this.opts.config, cwd: this.io.cwd });
    }
    return this.configCache;
  }

  async project(): Promise<Project> {
    const { loadProject } = require('../commands/project') as typeof import('../commands/project');
    const project = await loadProject(this.config());
    (require('../timings') as typeof import('../timings')).mark('loaded');
    for (const warning of project.warnings) this.io.err(`migrate: warning: ${warning}`);
    return project;
  }

  /** Targets from -x / --url / environment; their URLs are registered as secrets to mask. */
  targets(): Target[] {
    // A command that reaches here works on the targets -x / --url / SCHEMA_NAME name; --schemas would be ignored.
    if (this.opts.schemas) {
      const { ConfigError } = require('../errors') as typeof import('../errors');
      throw new ConfigError(
        'SCHEMAS_NOT_SUPPORTED',
        `--schemas is not supported by "migrate ${this.io.report.command}": name the schema with -x schema=<name> or SCHEMA_NAME.`,
      );
    }
    const { resolveTargets } = require('../config/target') as typeof import('../config/target');
    const targets = resolveTargets({ config: this.config(), x: this.opts.x, url: this.opts.url, env: this.io.env });
    this.io.secrets.push(...targets.map((t) => t.url));
    return targets;
  }

  output(): Output {
    if (this.json) return { line() {}, warn: (m) => this.io.err(m) };
    return { line: (m) => this.io.out(m), warn: (m) => this.io.err(m) };
  }

  /**
   * A command's data: under --json it becomes the envelope's `result` (commands without targets);
   * otherwise the text lines are printed.
   */
  print(result: unknown, text: () => string | string[]): void {
    if (this.json) {
      this.io.report.setResult(result);
      return;
    }
    this.text(text);
  }

  /** Text output only: nothing under --json (where the envelope says it). */
  text(text: () => string | string[]): void {
    if (this.json) return;
    const t = text();
    for (const line of Array.isArray(t) ? t : [t]) this.io.out(line);
  }

  /** One target's data for the --json envelope (recorded as it finishes, so a later failure keeps it). */
  targetDone(target: string, result: unknown, durationMs?: number): void {
    this.io.report.addTarget(okTarget(target, result, durationMs));
  }

  /**
   * Ends the command with a non-zero exit code that is not an error: drift found, lint errors,
   * targets that failed. Under --json, `error` says why.
   */
  fail(code: ErrorCode, message: string, exitCode = 1): void {
    this.io.exitCode = exitCode;
    this.io.report.fail({ code, message });
  }
}

export type Action<A extends unknown[]> = (inv: Invocation, ...args: A) => Promise<void>;

export function action<A extends unknown[]>(program: Command, io: Io, fn: Action<A>) {
  return async (...args: unknown[]) => {
    const opts = program.opts<GlobalOptions>();
    const inv = new Invocation(io, { ...opts, x: opts.x ?? [] });
    // commander passes the positional arguments, then the options object, then the command.
    await fn(inv, ...(args.slice(0, -1) as A));
  };
}
