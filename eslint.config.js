// Layering is enforced here, not in review: src/shared is pure, only src/main/electron touches
// Electron, and the renderer never reaches into Node or the main process.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
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
    files: ['src/main/services/**/*.ts', 'src/hub/**/*.ts', 'src/web/**/*.ts'],
    rules: restrict(
      ['electron', '**/renderer/**', '**/main/electron/**'],
      'Only src/main/electron may import Electron; services, hub and web mode run in plain Node.',
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
);
