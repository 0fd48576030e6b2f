/**
 * The package's name as users install and import it: the model stub `init` writes, the
 * revision template and `pull`'s output import from it.
 */
export const PACKAGE_NAME = 'retort-migrate';
