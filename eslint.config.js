// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.cache/', 'tests/replay/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Workflow code is replayed: it must be deterministic, so no I/O and no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'workflows must not use Node built-ins', allowTypeImports: true })),
          patterns: [
            {
              group: ['@mikro-orm/*', 'nodemailer', 'express', 'express-*', 'smtp-server', 'handlebars', 'pg', '@electric-sql/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'workflows do no I/O: call an activity',
              allowTypeImports: true,
            },
            {
              group: ['**/activities/**', '**/infra/**', '**/api/**', '**/web/**', '**/app/**'],
              message: 'workflows import activities as types only, and nothing else from the I/O layers',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // tests read JSON answers as they come; asserting on them is the type check
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
