/**
 * Walks a station's place tree in a process of its own (`test/db/locations.test.ts`), so a walk that
 * never ends is a test that fails on its deadline rather than one that never answers: prints the
 * path of the place and the places retiring the other would take down.
 */
import { retireLocation } from '../../db/locations/manage';
import { openStationDb } from '../../db/open';
import { locationDetail } from '../../db/stock/details';

const [dataDir, place, top, userId, stationId] = process.argv.slice(2) as [string, string, string, string, string];
const store = openStationDb({ dataDir, quickCheck: 'skip' });
const path = locationDetail(store, place).path;
retireLocation(store, { userId, stationId }, top);
const retired = store.sqlite.prepare('select count(*) from locations where retired_at is not null and id in (?, ?)').pluck().get(place, top);
store.close();
console.log(JSON.stringify({ path, retired }));
