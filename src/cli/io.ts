import { JsonReport } from './json-envelope';

/** Where the CLI writes. Tests can capture it; the real one writes to the process streams. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Exit code the command asked for (e.g. 1 when `check` finds drift). */
  exitCode: number;
  /** URLs whose passwords must never be printed; filled in as targets are resolved. */
  secrets: string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** What `--json` prints when the command ends: one envelope, filled in as the command runs. */
  readonly report: JsonReport;
}

export function createIo(): Io {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    exitCode: 0,
    // A password given through the environment is masked wherever it would show, like one in a URL.
    secrets: process.env.PGPASSWORD ? [process.env.PGPASSWORD] : [],
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    report: new JsonReport(),
  };
}
