// Lint, including the architecture's layers. Each top-level folder may import only the folders
// below it, so the import graph between folders has no cycle:
//
//   vocabulary/  pure: barcode standards, messages, the domain's words; imports nothing with I/O
//   db/          the station core over SQLite            → vocabulary
//   drivers/     scanners and printers                   → vocabulary
//   documents/   PDF, XLSX and label images              → vocabulary, db
//   services/    scanning, printing, sync, events        → vocabulary, db, drivers, documents
//   api/         contract, dispatch, handlers            → the above
//   hosts/       browser mode, CLI, station start-up     → the above and api
//   electron/    the desktop host                        → the above and hosts
//   register/    the register server                     → vocabulary, db (the shared core and wire format)
//   renderer/    the screens: at run time vocabulary/ only; types from the station side
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FOLDERS = ['vocabulary', 'db', 'drivers', 'documents', 'services', 'api', 'hosts', 'electron', 'register', 'renderer', 'bench', 'test', 'scripts'];
const MAY_IMPORT = {
  vocabulary: [],
  db: ['vocabulary'],
  drivers: ['vocabulary'],
  documents: ['vocabulary', 'db'],
  services: ['vocabulary', 'db', 'drivers', 'documents'],
  api: ['vocabulary', 'db', 'drivers', 'documents', 'services'],
  hosts: ['vocabulary', 'db', 'drivers', 'documents', 'services', 'api'],
  electron: ['vocabulary', 'db', 'drivers', 'documents', 'services', 'api', 'hosts'],
  register: ['vocabulary', 'db'],
};
/** A relative import that climbs out of its folder into one of `folders`. */
const into = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const layer = (folder) => {
  const forbidden = FOLDERS.filter((f) => f !== folder && !MAY_IMPORT[folder].includes(f));
  return { regex: into(forbidden), message: `${folder}/ may import only ${MAY_IMPORT[folder].join(', ') || 'itself'} (the layers are listed in eslint.config.js).` };
};
/** What does I/O: nothing a pure module may import. */
const IO = ['node:*', 'fs', 'path', 'net', 'http', 'crypto', 'zlib', 'child_process', 'worker_threads', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'ws', 'pg', 'serialport', 'node-hid', 'hono', 'hono/*', '@hono/*', 'electron', 'pdf-lib', 'zpl-renderer-js'];

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
  ...Object.keys(MAY_IMPORT).map((folder) => ({
    files: [`${folder}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(folder),
            ...(folder === 'electron' ? [] : [{ group: ['electron', 'electron/*'], message: 'Only electron/ runs in Electron; the rest runs and is tested in plain Node.' }]),
            ...(folder === 'vocabulary' ? [{ group: IO, message: 'vocabulary/ is pure: it imports nothing that does I/O, so the screens can use it too.' }, { regex: '^[^.]', message: 'vocabulary/ is pure: it imports only its own modules.' }] : []),
          ],
        },
      ],
    },
  })),
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
              regex: into(FOLDERS.filter((f) => f !== 'renderer' && f !== 'vocabulary')),
              allowTypeImports: true,
              message: 'At run time the renderer imports only the pure vocabulary/; the station core is called through renderer/src/bridge/client (types may be imported).',
            },
            { group: IO, message: 'The renderer runs in a sandboxed page.' },
          ],
        },
      ],
    },
  },
);
