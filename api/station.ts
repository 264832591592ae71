/** Starting a station: open (and migrate) the database, load demo data on a first start, serve the API. */
import { DEMO_SIZE, seedDataset, type SeedProgress } from '../db/demo/generate';
import { openStore, type OpenOptions, type Store } from '../db/open';
import { isStationSetUp } from '../db/station';
import { createApi, type Api } from './dispatch';

export interface Station {
  store: Store;
  api: Api;
  /** True when this start created the database and loaded the demo data. */
  seeded: boolean;
  close(): void;
}

export function startStation(options: OpenOptions & { onSeedProgress?: (p: SeedProgress) => void }): Station {
  const store = openStore(options);
  try {
    let seeded = false;
    if (!isStationSetUp(store)) {
      seedDataset(store, DEMO_SIZE, options.onSeedProgress);
      seeded = true;
    }
    const api = createApi(store);
    return { store, api, seeded, close: () => store.close() };
  } catch (e) {
    store.close();
    throw e;
  }
}
