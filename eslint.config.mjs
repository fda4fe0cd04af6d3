// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const LIB_PATHS = { group: ['../../libs/*', '../../../libs/*'], message: 'Import libraries through @app/<lib>.' };

/**
 * SQL lives in *.repository.ts (on the Sql / Tx handles of @app/core), the migrations and the
 * database module (libs/core/src/database): nothing else reaches the database.
 */
const DATABASE_ACCESS = [
  { name: 'typeorm', message: 'Only the database module (libs/core/src/database) uses TypeORM: put the SQL in a repository method.' },
  { name: '@nestjs/typeorm', message: 'Only the database module injects the DataSource: repositories inject Sql, services call repositories.' },
  { name: 'pg', message: 'Only repositories talk to PostgreSQL: call a repository.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'eslint.config.mjs', '**/*.js', 'apps/web/dist/', 'apps/web/src/lib/api/schema.d.ts', 'test/browser/screenshots/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [LIB_PATHS] }],
    },
  },
  {
    // Type-aware rules on the product code (apps/, libs/): floating promises, and no `any` escaping
    // from a query (repositories type their rows). test/ and bench/ keep the syntactic rules: they
    // read API responses and raw rows as loose JSON on purpose, and type-checking them too would
    // double the time of `npm run lint`.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Nest lifecycle hooks and guards are async by contract even when a body has nothing to await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': ['error', { paths: DATABASE_ACCESS, patterns: [LIB_PATHS] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(query|createQueryBuilder|createQueryRunner|transaction)$/]',
          message: 'SQL lives in *.repository.ts: call a repository method (Transactions.run for a transaction).',
        },
      ],
    },
  },
  {
    // Repositories run SQL, on the typed `Sql` / `Tx` handles of @app/core (no TypeORM import needed).
    files: ['**/*.repository.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The database module and the migrations: the one place that knows TypeORM.
    files: ['libs/core/src/database/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [LIB_PATHS] }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    // Tests read API responses as loose JSON.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
