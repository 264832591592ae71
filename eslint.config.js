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
/** A worker thread runs a module of its own, which the build bundles: never source text to evaluate. */
const EVAL_WORKER = { selector: "Property[key.name='eval'][value.value=true]", message: 'A worker thread runs a module file of its own (bundled as a build entry), never source text to evaluate.' };
/** A string that reads as a statement of SQL. */
const SQL = '/^\\s*(select\\s[\\s\\S]*\\sfrom\\s|insert\\s+(or\\s+\\w+\\s+)?into\\s|update\\s+\\w+\\s+set\\s|delete\\s+from\\s|(create|drop)\\s+(table|index|trigger|view)\\s|alter\\s+table\\s|pragma\\s|(begin|commit|rollback)\\s*$)/i';
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
      // A worker thread runs a module of its own, which the build bundles: never source text to evaluate.
      'no-eval': 'error',
      'no-implied-eval': 'error',
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
    files: ['**/*.{ts,tsx,mjs}'],
    ignores: ['vocabulary/**', 'drivers/**', 'documents/**', 'services/**', 'api/**', 'hosts/**', 'electron/**', 'renderer/**'],
    rules: { 'no-restricted-syntax': ['error', EVAL_WORKER] },
  },
  {
    // The workflows' state machines are pure: from outside their folder only types, or vocabulary/.
    files: ['db/workflows/machines/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!\\.\\./\\.\\./vocabulary/)', allowTypeImports: true, message: 'A workflow machine is pure: it imports only types from the core (and vocabulary/ at run time); the runner carries out its effects.' },
            { group: IO, message: 'A workflow machine is pure: no I/O.' },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in db/ only (the register keeps its own database's SQL in register/).
    files: ['vocabulary/**/*.ts', 'drivers/**/*.ts', 'documents/**/*.ts', 'services/**/*.ts', 'api/**/*.ts', 'hosts/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        EVAL_WORKER,
        { selector: "MemberExpression[property.name='sqlite']", message: 'SQL lives in db/: call a function there instead of using the database handle.' },
        { selector: `Literal[value=${SQL}]`, message: 'SQL lives in db/: call a function there instead.' },
        { selector: `TemplateElement[value.raw=${SQL}]`, message: 'SQL lives in db/: call a function there instead.' },
      ],
    },
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
