// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

/** A room that may not import from the named rooms (type imports included: the house is read from its imports). */
const layer = (files, forbidden, message) => [
  {
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbidden.map((room) => `**/${room}/**`), message }] }],
    },
  },
];

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
  // The house's rooms: each imports only from the rooms below it (app → api, web → features, http → domain, infra).
  ...layer('domain/**/*.ts', ['activities', 'api', 'app', 'features', 'http', 'infra', 'web', 'workflows'], 'the domain is pure rules: it imports only the domain'),
  ...layer('infra/**/*.ts', ['activities', 'api', 'app', 'features', 'http', 'web', 'workflows'], 'infra/ holds adapters only: nothing above them'),
  ...layer('features/**/*.ts', ['activities', 'api', 'app', 'http', 'web'], 'the use cases serve the API and the pages alike: they import neither, nor HTTP, nor the activities'),
  ...layer('http/**/*.ts', ['api', 'app', 'web'], 'shared HTTP middleware serves the API and the pages alike'),
  ...layer('api/**/*.ts', ['app', 'web'], 'the API and the pages share features/, never each other'),
  ...layer('web/**/*.ts', ['api', 'app'], 'the API and the pages share features/, never each other'),
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
