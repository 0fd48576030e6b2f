// typescript-eslint's recommended rules over the project's TypeScript and JavaScript.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Built output, and test fixtures kept byte for byte as their upstream wrote them.
  { ignores: ['dist/**', 'node_modules/**', 'test/**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The CLI loads modules with require() where it needs them, on purpose: start-up time (see src/cli/main.ts).
      '@typescript-eslint/no-require-imports': 'off',
      // Kysely<any> is the type of a database whose schema is only known at run time (revisions, catalog reads).
      '@typescript-eslint/no-explicit-any': 'off',
      // Terminal output is made of control characters: the progress display and its tests match ESC sequences on purpose.
      'no-control-regex': 'off',
      // A leading underscore marks a value left out on purpose (`const { db: _db, ...rest } = options`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
