import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'build/**',
      'test-results/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
      // One import statement per module: types and values from it together.
      'no-duplicate-imports': 'error',
    },
  },
  {
    // botbuilder is archived: keeping it inside src/bot (and dialogs/) keeps a move to the
    // Microsoft 365 Agents SDK small (docs/AGENTS-SDK.md).
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**', 'src/domain/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['botbuilder*', 'botframework-*'] }],
    },
  },
  {
    // The domain core reaches the world only through its ports: no bot framework, Graph SDK,
    // store engine, Azure SDK, web server or configuration module (issue 13).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'botbuilder*',
                'botframework-*',
                'adaptivecards*',
                'restify',
                '**/bot/**',
                '**/dialogs/**',
              ],
              message:
                'The domain answers with data; the bot layer (src/bot, dialogs/) talks to Teams.',
            },
            {
              group: ['@microsoft/microsoft-graph-client', '**/intune/**', '**/emulator/**'],
              message: 'The domain reaches Intune through its Intune port.',
            },
            {
              group: [
                'better-sqlite3',
                '@azure/*',
                '**/store/sqlite/**',
                '**/store/blob/**',
                '**/store/openStores',
              ],
              message: 'The domain keeps state through its storage port, never an engine.',
            },
            {
              group: ['**/config', '**/config.js'],
              message: 'The domain reads DeskSettings; only the wiring reads src/config.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Intune and storage adapters implement the domain's ports and see nothing else of it.
    files: ['src/intune/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/*', '!**/domain/ports', '**/domain/*/**'],
              message: 'Adapters import only domain/ports (its index.ts).',
            },
            { group: ['botbuilder*', 'botframework-*'], message: 'botbuilder stays in src/bot.' },
          ],
        },
      ],
    },
  },
);
