/**
 * `npm run start:web`: the station in browser mode. Opens the database in the data dir
 * (`--data-dir`, `DEPOT_DATA_DIR`, or the platform's app-data dir), then serves on 127.0.0.1.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDepotError } from '../vocabulary/errors';
import { resolveDataDir } from '../db/paths';
import { resolveEnrolment, startStation } from './station';
import { serveBrowserMode } from './web';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const portArg = argv.find((a) => a.startsWith('--port='));
const dataDir = resolveDataDir(argv);

try {
  let announced = false;
  const station = startStation({
    dataDir,
    enrol: resolveEnrolment(argv),
    onEncrypting: () => console.log('Krypterar databasen (en gång, kan ta en halv minut) / Encrypting the database (once, may take half a minute)…'),
    onSeedProgress: (p) => {
      if (process.stdout.isTTY) process.stdout.write(`Loading demo data: ${p.phase} ${p.done}/${p.total}\x1b[K\r`);
      else if (!announced) console.log('First start: loading the demo data…');
      announced = true;
    },
  });
  if (station.seeded && process.stdout.isTTY) process.stdout.write('\n');
  const web = await serveBrowserMode({
    api: station.api,
    rendererDir: join(root, 'out', 'renderer'),
    port: portArg ? Number(portArg.slice('--port='.length)) : Number(process.env.DEPOT_PORT ?? 0),
  });
  console.log(`Depot Station (browser mode), data in ${dataDir}`);
  console.log(`Open ${web.openUrl}`);
  const stop = async () => {
    await web.close();
    await station.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (e) {
  if (isDepotError(e)) {
    console.error(e.userMessage.sv);
    console.error(e.userMessage.en);
    process.exit(1);
  }
  throw e;
}
