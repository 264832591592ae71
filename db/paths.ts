import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'Depot Station';

/**
 * Where the station keeps its database unless told otherwise: the platform's app-data folder,
 * the same place Electron's `app.getPath('userData')` points to, so the desktop app and
 * browser mode share one database.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}

/** The data dir from `--data-dir <path>` (or `--data-dir=<path>`), then `DEPOT_DATA_DIR`, then the default. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir' && argv[i + 1]) return argv[i + 1]!;
    if (a.startsWith('--data-dir=')) return a.slice('--data-dir='.length);
  }
  return env.DEPOT_DATA_DIR || defaultDataDir(env);
}
