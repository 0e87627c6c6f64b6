// Layering is enforced here, not in review: src/shared is pure, only src/main/electron touches
// Electron, the renderer never reaches into Node or the main process, the shell never into the
// renderer, the hub never into the main process, and no module imports itself in a circle; no
// module or function grows past a size that holds one responsibility.
// tests/lint-rules.test.ts lints a probe against each of these rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

// Bare Node builtins are matched by exact name (a pattern like 'url' would also catch './url').
const nodeBuiltinNames = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'stream',
  'worker_threads',
];
const nodeBuiltins = ['node:*'];
const restrict = (groups, message, names = nodeBuiltinNames) => ({
  'no-restricted-imports': [
    'error',
    { paths: names.map((name) => ({ name, message })), patterns: [{ group: groups, message }] },
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Import cycles, type-only imports aside (they vanish when compiled). Packages are not
    // followed: a cycle inside a dependency is not ours to fix.
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] }),
      ],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Size: a module past 400 lines of code, or a function past 80, holds more than one
    // responsibility. Tests and their scaffolding are exempt: a describe block lists cases.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/**/*.contract.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'electron',
        'dexie',
        'dexie-*',
        'react',
        'react-*',
        '**/main/**',
        '**/renderer/**',
        '**/hub/**',
        '**/web/**',
        '**/preload/**',
      ],
      'src/shared is pure: no platform, storage or UI imports, and nothing from outer layers.',
    ),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [
          ...nodeBuiltins,
          'electron',
          '**/main/**',
          '**/hub/**',
          '**/web/**',
          '**/preload/**',
          'better-sqlite3',
          'ws',
          'jsdom',
        ],
        'The renderer runs in a sandbox: no Node, no Electron, no main-process code.',
      ),
    },
  },
  {
    files: ['src/main/services/**/*.ts', 'src/web/**/*.ts'],
    rules: restrict(
      ['electron', '**/renderer/**', '**/main/electron/**', '**/hub/**', '**/preload/**'],
      'Only src/main/electron may import Electron; services and web mode run in plain Node.',
      [],
    ),
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: restrict(
      ['**/renderer/**', '**/hub/**', '**/web/**', '**/preload/**'],
      'The Electron shell serves the renderer; it never imports it (or the hub, web mode or preload).',
      [],
    ),
  },
  {
    files: ['src/hub/**/*.ts'],
    rules: restrict(
      ['electron', '**/main/**', '**/renderer/**', '**/web/**', '**/preload/**'],
      'The hub stands alone: it shares src/shared with the app and imports nothing of src/main.',
      [],
    ),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(
      ['**/renderer/**', '**/main/**', '**/hub/**', '**/web/**'],
      'The preload only bridges DesktopApi.',
      [],
    ),
  },
  {
    // Whatever the preload imports is bundled into it: values only from the bridge's plain list.
    files: ['src/preload/**/*.ts'],
    ignores: ['src/preload/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/shared/*', '**/shared/**/*', '!**/shared/desktop-bridge', 'zod'],
              allowTypeImports: true,
              message:
                'The preload imports values only from src/shared/desktop-bridge; types from anywhere in src/shared.',
            },
          ],
        },
      ],
    },
  },
);
