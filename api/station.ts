/** Starting a station: open (and migrate) the database, load demo data on a first start, serve the API. */
import { DEMO_SIZE, seedDataset, type SeedProgress } from '../db/demo/generate';
import { openStore, type OpenOptions, type Store } from '../db/open';
import { isStationSetUp } from '../db/station';
import { ScannerManager } from '../drivers/scanner/manager';
import { createApi, type Api } from './dispatch';

export interface Station {
  store: Store;
  api: Api;
  /** True when this start created the database and loaded the demo data. */
  seeded: boolean;
  /** Stops the scanners, checkpoints and closes the database. */
  close(): Promise<void>;
}

export interface StationOptions extends OpenOptions {
  onSeedProgress?: (p: SeedProgress) => void;
  /** Drive the scanners saved in this station's settings (default true). */
  devices?: boolean;
}

export function startStation(options: StationOptions): Station {
  const store = openStore(options);
  try {
    let seeded = false;
    if (!isStationSetUp(store)) {
      seedDataset(store, DEMO_SIZE, options.onSeedProgress);
      seeded = true;
    }
    const api = createApi(store, { scanners: options.devices === false ? null : new ScannerManager() });
    void api.scanning.start();
    api.printing.start();
    return {
      store,
      api,
      seeded,
      close: async () => {
        await api.printing.stop();
        await api.scanning.stop();
        store.close();
      },
    };
  } catch (e) {
    store.close();
    throw e;
  }
}
