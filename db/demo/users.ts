/** The demo's people: the users of `DEMO_USERS`, each at their site, with a PIN (a prescriber has none). */
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { pinPepper } from '../pepper';
import { hashPin } from '../users/pins';
import { DEMO_USERS } from './catalogue';
import type { SiteLocs } from './sites';

/** A user who signs in at a station, as the ledger's seeders pick them. */
export interface StaffMember {
  id: string;
  role: string;
  /** The site's code. */
  site: string;
}

/** Writes the demo users; a user whose site is not in the dataset works at the first site. Returns those who sign in. */
export function seedUsers(store: StationDb, siteLocs: SiteLocs[]): StaffMember[] {
  const sq = store.sqlite;
  const staff: StaffMember[] = [];
  const first = siteLocs[0]!.site;
  const insUser = sq.prepare('insert into users (id, name, role, pin_hash, badge_code, site_id, active) values (?, ?, ?, ?, ?, ?, 1)');
  // The pepper of the register this data goes to, when one handed it over first (`keepPinPepper`).
  const pepper = pinPepper(store, { linked: false });
  DEMO_USERS.forEach((u, i) => {
    const id = uuidv7();
    const site = siteLocs.find((s) => s.site.code === u.site)?.site ?? first;
    // No PIN, no sign-in: a prescriber's badge opens the kiosk and nothing else.
    insUser.run(id, u.name, u.role, u.pin ? hashPin(u.pin, pepper) : 'none', `U${String(1001 + i)}`, site.id);
    if (u.role !== 'prescriber') staff.push({ id, role: u.role, site: site.code });
  });
  return staff;
}
