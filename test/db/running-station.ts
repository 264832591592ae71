/** A station started on a data dir in its own process, for the restore test: prints `ready`, then runs until killed. */
import { startStation } from '../../hosts/station';

const station = startStation({ dataDir: process.argv[2]!, devices: false, quickCheck: 'skip' });
await station.api.checked;
console.log('ready');
setInterval(() => undefined, 60_000);
