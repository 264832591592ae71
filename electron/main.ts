/**
 * The Electron host, kept thin: lifecycle, the window, security guards and the IPC transport.
 * The station core (database, API) is the same one browser mode serves.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CallEnvelope } from '../api/contract';
import { resolveEnrolment, startStation, type Station } from '../hosts/station';
import { CONTENT_SECURITY_POLICY } from '../hosts/csp';
import { restoreBackup } from '../db/backup';
import { isDepotError } from '../vocabulary/errors';
import type { KeySeal } from '../db/key';
import { resolveDataDir } from '../db/paths';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';
import { isTrustedSender } from './sender';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;
let station: Station | null = null;

function nativeBinding(): string | undefined {
  const candidates = [process.env.DEPOT_SQLITE_BINDING, join(appRoot, 'out', 'native', 'sqlite_multiple_ciphers.node')];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/**
 * The operating system's key store for the database key. Linux without a keyring would fall back
 * to a password built into Chromium ('basic_text'), no better than a file anyone can read; there
 * the key stays in the owner-only key file instead.
 */
function keySeal(): KeySeal | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return { seal: (plain) => safeStorage.encryptString(plain), unseal: (sealed) => safeStorage.decryptString(sealed) };
}

/** `--restore <backup file>`: a restore before start, for a station whose key only the desktop app can unseal. */
function restoreArgument(): string | undefined {
  const i = process.argv.indexOf('--restore');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The unmanned depot's station runs as a kiosk: full screen, no way out but the staff sign-in. */
function createWindow(kiosk = false): void {
  const win = new BrowserWindow({
    kiosk,
    autoHideMenuBar: kiosk,
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Depot Station',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      // A middle click would open a link in a new window; the station opens none.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl);
}

// The station's own fields (dates, numbers) are Swedish whatever language the computer was set up in:
// a date field reads ÅÅÅÅ-MM-DD and a number field takes a decimal comma. The texts follow the station's language.
app.commandLine.appendSwitch('lang', 'sv-SE');

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (url !== rendererUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The station opens no other windows and hands no links to other programs.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(() => {
  try {
    const dataDir = resolveDataDir(process.argv);
    const open = {
      keySeal: keySeal(),
      migrationsFolder: join(appRoot, 'db', 'migrations'),
      nativeBinding: nativeBinding(),
      onEncrypting: () => console.log('Encrypting the station database (once)…'),
    };
    const restore = restoreArgument();
    if (restore) restoreBackup(dataDir, restore, open);
    // The database is opened and migrated before any window exists.
    station = startStation({
      ...open,
      dataDir,
      enrol: resolveEnrolment(process.argv),
    });
  } catch (e) {
    const m = isDepotError(e) ? `${e.userMessage.sv}\n\n${e.userMessage.en}` : String(e);
    dialog.showErrorBox('Depot Station', m);
    app.exit(1);
    return;
  }
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The built page carries the same policy in a meta tag; the dev server's page needs Vite's inline preamble.
  if (!process.env.ELECTRON_RENDERER_URL)
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
  const api = station.api;
  ipcMain.handle(CALL_CHANNEL, (event, envelope: CallEnvelope) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl))
      return { ok: false, error: { code: 'api.untrusted_sender', message: { sv: 'Otillåten avsändare.', en: 'Untrusted sender.' } } };
    return api.call(envelope);
  });
  api.events.subscribe((event) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(EVENT_CHANNEL, event);
  });
  const kiosk = (async () => {
    const r = await api.call({ name: 'kiosk.settings', input: {} });
    return r.ok && (r.value as { enabled: boolean }).enabled;
  })();
  void kiosk.then(createWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void kiosk.then(createWindow);
  });
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  // Stop the scanners, checkpoint the WAL and close the one writer connection, then quit.
  const s = station;
  if (!s) return;
  station = null;
  event.preventDefault();
  void s.close().finally(() => app.quit());
});
