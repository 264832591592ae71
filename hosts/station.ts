/** Starting a station: open (and migrate) the database, load demo data on a first start, serve the API. */
import { DEMO_SIZE, seedDataset, type SeedProgress } from '../db/demo/generate';
import { backgroundSettled } from '../db/background';
import { backupDir, backupDue, backupNow } from '../db/backup';
import { openStationDb, type OpenOptions, type StationDb } from '../db/open';
import { isStationSetUp } from '../db/station';
import { syncLink } from '../db/sync/link';
import { ScannerManager } from '../drivers/scanner/manager';
import { holdStationLock } from '../db/station-lock';
import { createApi, type Api } from '../api/dispatch';
import { stopLabelRendering } from '../documents/label-worker';

export interface Station {
  store: StationDb;
  api: Api;
  /** True when this start created the database and loaded the demo data. */
  seeded: boolean;
  /** Stops the scanners and the label renderer's thread, checkpoints and closes the database. */
  close(): Promise<void>;
}

export interface StationOptions extends OpenOptions {
  onSeedProgress?: (p: SeedProgress) => void;
  /** Drive the scanners saved in this station's settings (default true). */
  devices?: boolean;
  /** Enrol this new station with the central register (its first sync then fills it, instead of the demo data). */
  enrol?: Enrolment | null;
}

export interface Enrolment {
  registerUrl: string;
  code: string;
}

/** `--register <url> --enrol <code>` (or DEPOT_REGISTER_URL and DEPOT_ENROL_CODE). */
export function resolveEnrolment(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Enrolment | null {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const registerUrl = flag('register') ?? env.DEPOT_REGISTER_URL;
  const code = flag('enrol') ?? env.DEPOT_ENROL_CODE;
  return registerUrl && code ? { registerUrl, code } : null;
}

export function startStation(options: StationOptions): Station {
  // Held while the station runs: a restore, or a second station on the same data dir, refuses.
  const lock = holdStationLock(options.dataDir, options.nativeBinding);
  let store: StationDb;
  try {
    store = openStationDb(options);
  } catch (e) {
    lock.release();
    throw e;
  }
  try {
    let seeded = false;
    const linked = syncLink(store) !== null;
    if (!isStationSetUp(store) && !linked && !options.enrol) {
      seedDataset(store, DEMO_SIZE, options.onSeedProgress);
      seeded = true;
    }
    const api = createApi(store, { scanners: options.devices === false ? null : new ScannerManager() });
    void api.scanning.start();
    api.printing.start();
    if (linked) api.sync.start();
    else if (options.enrol && !isStationSetUp(store)) api.sync.enrol(options.enrol.registerUrl, options.enrol.code);
    // The nightly backup: checked every hour (and a few minutes after start), made when one is due.
    let backingUp: Promise<unknown> | null = null;
    const nightly = () => {
      if (backingUp || !backupDue(backupDir(store))) return;
      backingUp = backupNow(store)
        .catch((e: unknown) => console.error('nightly backup failed', e))
        .finally(() => (backingUp = null));
    };
    const first = setTimeout(nightly, 5 * 60_000);
    const hourly = setInterval(nightly, 3_600_000);
    first.unref();
    hourly.unref();
    return {
      store,
      api,
      seeded,
      close: async () => {
        clearTimeout(first);
        clearInterval(hourly);
        await backingUp;
        // A label preview still rendering is refused and its thread ended.
        await stopLabelRendering();
        await api.sync.stop();
        await api.printing.stop();
        await api.scanning.stop();
        // The start's integrity check may still be reading on its own connection.
        await backgroundSettled();
        store.close();
        lock.release();
      },
    };
  } catch (e) {
    store.close();
    lock.release();
    throw e;
  }
}
