/**
 * The permission matrix: every handler's declared access equals the table in api/permissions.ts,
 * and the core refuses exactly what the table does not allow, for every handler and every role.
 */
import { describe, expect, it } from 'vitest';
import { handlers } from '../../api/contract';
import { KIOSK_CALLS, kioskMayCall, PERMISSIONS } from '../../api/permissions';
import { ROLES, type Role } from '../../db/schema';
import { putSetting } from '../../db/settings';
import { WORKFLOWS } from '../../db/workflows/machines/table';
import { signedIn, tinyApi } from '../helpers';

const STAFF = ROLES.filter((r): r is Exclude<Role, 'prescriber'> => r !== 'prescriber');
const allowed = (access: unknown, role: Role) => access === 'public' || access === 'signed_in' || (access as readonly Role[]).includes(role);
// An input no handler accepts: the access check comes first, so nothing runs when a call is allowed.
const PROBE = { __probe: true };

describe('the permission matrix', () => {
  it('names every call once, and no call that does not exist', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(handlers).sort());
  });

  it('is what the core enforces: every handler, every role', async () => {
    const { store, api } = tinyApi();
    const names = Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[];
    for (const role of STAFF) {
      let me = await signedIn(api, role);
      for (const name of names) {
        let r = await api.call({ name, input: PROBE, session: me.session });
        if (!r.ok && r.error.code === 'auth.signed_out') {
          me = await signedIn(api, role);
          r = await api.call({ name, input: PROBE, session: me.session });
        }
        const refused = !r.ok && r.error.code === 'auth.forbidden';
        expect({ name, role, refused }).toEqual({ name, role, refused: !allowed(PERMISSIONS[name], role) });
      }
    }
    // Without signing in: only the public calls.
    for (const name of names) {
      const r = await api.call({ name, input: PROBE });
      expect({ name, signedOut: !r.ok && r.error.code === 'auth.signed_out' }).toEqual({ name, signedOut: PERMISSIONS[name] !== 'public' });
    }
    // A kiosk session, opened by any badge at an unmanned depot, a supervisor's or an admin's too:
    // the kiosk's own calls and its basket's workflow session, nothing else, never its settings.
    expect([...KIOSK_CALLS].sort()).toEqual(['kiosk.finish', 'kiosk.scan', 'kiosk.touch', 'kiosk.withdraw', 'workflow.close', 'workflow.input', 'workflow.open', 'workflow.state']);
    putSetting(store, 'kiosk', { enabled: true, idleSeconds: 600 });
    for (const role of ROLES) {
      const badge = store.sqlite.prepare('select badge_code as b from users where role = ? and active = 1 limit 1').get(role) as { b: string };
      const kiosk = await api.call({ name: 'kiosk.start', input: { badge: badge.b } });
      expect(kiosk.ok).toBe(true);
      const session = (kiosk as { value: { session: string } }).value.session;
      for (const name of names.filter((n) => PERMISSIONS[n] !== 'public')) {
        const r = await api.call({ name, input: PROBE, session });
        expect({ name, role, refused: !r.ok && r.error.code === 'auth.forbidden' }).toEqual({ name, role, refused: !kioskMayCall(name) });
      }
      // Of the workflows, a badge's session has the kiosk's basket only, whatever the badge's role.
      for (const workflow of WORKFLOWS) {
        const r = await api.call({ name: 'workflow.open', input: { workflow }, session });
        expect({ workflow, role, ok: r.ok }).toEqual({ workflow, role, ok: workflow === 'kiosk' });
        if (!r.ok) expect(r.error.code).toBe('workflow.forbidden');
      }
    }
    // … and no session signed in by PIN has the kiosk's basket, not even an administrator's.
    const admin = await signedIn(api, 'admin');
    const r = await admin.call('workflow.open', { workflow: 'kiosk' });
    expect(!r.ok && r.error.code).toBe('workflow.forbidden');
    store.close();
  });
});
