import { provisionEmbedded } from '../provision/provision-embedded';
import type { TargetOptions } from '../target/open-target';
import type { SessionCache } from '../target/session-cache';
import type { Output } from './output';
import type { Project } from './project';

/**
 * How a command that changes a target opens it (upgrade, downgrade, stamp, setup): under the
 * migration lock, with the private local database provisioned first, saying on `output` when it
 * waits for another command's lock.
 */
export function changingTarget(project: Project, options: { lockTimeoutMs: number; output: Output; sessions?: SessionCache | undefined }): TargetOptions {
  return {
    baseDir: project.config.dir,
    versionTable: project.config.versionTable,
    lock: true,
    lockTimeoutMs: options.lockTimeoutMs,
    onWait: (m) => options.output.warn(m),
    prepare: provisionEmbedded,
    ...(options.sessions ? { sessions: options.sessions } : {}),
  };
}

/** How a command that only reads a target opens it (current, status, check, erd): no lock, nothing provisioned. */
export function readingTarget(project: Project, options: { sessions?: SessionCache | undefined } = {}): TargetOptions {
  return {
    baseDir: project.config.dir,
    versionTable: project.config.versionTable,
    lock: false,
    lockTimeoutMs: 0,
    ...(options.sessions ? { sessions: options.sessions } : {}),
  };
}
