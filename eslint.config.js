// Lint, including the architecture's boundaries:
//  - db/, drivers/ and api/ never import electron (they run in plain Node and are tested there);
//  - renderer/ imports only types from db/ and api/ (at run time it talks through the API client);
//  - renderer/ never imports Node built-ins or the native database modules.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'db/, drivers/ and api/ run in plain Node: keep electron in electron/.' }],
  patterns: [{ group: ['electron/*', '**/electron/*'], message: 'db/, drivers/ and api/ never depend on the Electron host.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'db/migrations/**', 'bench/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
    },
  },
  {
    files: ['db/**/*.ts', 'drivers/**/*.ts', 'api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    // The register is a server of its own: it shares the station's pure core (db/), never its host or screens.
    files: ['register/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [{ group: ['**/api/*', '**/renderer/*', '**/drivers/*', '**/electron/*'], message: 'register/ depends only on db/ (the shared core and wire format).' }],
        },
      ],
    },
  },
  {
    files: ['db/**/*.ts', 'drivers/**/*.ts', 'api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { ...noElectron, patterns: [...noElectron.patterns, { group: ['**/register/*'], message: 'The station talks to the register over HTTP only.' }] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/*', '**/db/**', '**/api/*', '**/api/**'],
              allowTypeImports: true,
              message: 'The renderer imports only types from the station core; call it through renderer/src/bridge/client.',
            },
            { group: ['node:*', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'ws', 'electron'], message: 'The renderer runs in a sandboxed page.' },
          ],
        },
      ],
    },
  },
);
