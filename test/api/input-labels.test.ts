import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { handlers } from '../../api/contract';
import { fieldLabel, invalidInputMessage, READ_CALLS, SIGN_IN_CALLS, somethingWentWrong } from '../../api/input-errors';
import type { StationDb } from '../../db/open';
import { signedIn, tinyApi } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

type Schema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/** Every path of fields a schema takes (a list's entry as 0), through optional, default, pipes, unions and lists. */
function fieldPaths(s: Schema, prefix: PropertyKey[] = [], out: PropertyKey[][] = [], seen = new Set<unknown>()): PropertyKey[][] {
  const d = s?._zod?.def;
  if (!d || seen.has(s)) return out;
  seen.add(s);
  const inner = (x: unknown, path = prefix) => fieldPaths(x as Schema, path, out, seen);
  switch (d.type) {
    case 'object':
      for (const [k, v] of Object.entries(d.shape as Record<string, unknown>)) {
        out.push([...prefix, k]);
        inner(v, [...prefix, k]);
      }
      break;
    case 'array':
      inner(d.element, [...prefix, 0]);
      break;
    case 'tuple':
      for (const it of d.items as unknown[]) inner(it, [...prefix, 0]);
      break;
    case 'record':
      inner(d.valueType, [...prefix, 'x']);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      inner(d.innerType);
      break;
    case 'pipe':
      inner(d.in);
      inner(d.out);
      break;
    case 'union':
      for (const o of d.options as unknown[]) inner(o);
      break;
    case 'intersection':
      inner(d.left);
      inner(d.right);
      break;
    case 'lazy':
      inner((d.getter as () => unknown)());
      break;
  }
  seen.delete(s);
  return out;
}

/** How a field is named in the code: what must never reach a person. */
const internal = (path: PropertyKey[]) => path.filter((p): p is string => typeof p === 'string' && /[a-z][A-Z]|^[a-z]+$/.test(p));

describe('refused input in the words of the screen', () => {
  it('has a label in Swedish and English for every field of every call', () => {
    const missing: string[] = [];
    let fields = 0;
    for (const [name, h] of Object.entries(handlers)) {
      for (const path of fieldPaths(h.input as unknown as Schema)) {
        fields++;
        const found = fieldLabel(path);
        if (!found || !found.label.sv.trim() || !found.label.en.trim()) missing.push(`${name}: ${path.join('.')}`);
      }
    }
    expect(fields).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });

  it('never names a field as the code does', () => {
    for (const [name, h] of Object.entries(handlers)) {
      for (const path of fieldPaths(h.input as unknown as Schema)) {
        const issue = { code: 'invalid_type', expected: 'string', path, message: '', input: 5 } as unknown as z.core.$ZodIssue;
        const { message } = invalidInputMessage(name, [issue], {});
        for (const word of internal(path)) {
          // A label may be the same word in plain English ("Port", "Name"); the code's own spelling never shows.
          if (/[A-Z]/.test(word)) {
            expect(message.sv, `${name} ${path.join('.')}`).not.toContain(word);
            expect(message.en, `${name} ${path.join('.')}`).not.toContain(word);
          }
        }
        expect(message.sv, `${name} ${path.join('.')}`).not.toMatch(/\.\d+\./);
      }
    }
  });

  it('knows every call it takes for a reading one', () => {
    for (const name of [...READ_CALLS, ...SIGN_IN_CALLS]) expect(Object.hasOwn(handlers, name), name).toBe(true);
  });

  it('leaves no audit entry for a call that only reads, though it kept a figure it worked out', async () => {
    const t = tinyApi();
    store = t.store;
    const boss = await signedIn(t.api, 'supervisor');
    const entries = () => (t.store.sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    const before = entries();
    expect(await boss.call('count.cycleSchedule', { basis: 'value', perYear: { A: 12, B: 4, C: 1 } } as never)).toMatchObject({ ok: true });
    expect(await boss.call('replenishment.suggestions', { windowDays: 90 } as never)).toMatchObject({ ok: true });
    expect(entries()).toBe(before);
  });

  it('names the field as the screen does, and what is wrong with it', async () => {
    const t = tinyApi();
    store = t.store;
    const boss = await signedIn(t.api, 'supervisor');
    const plan = await boss.call('count.plan', { kind: 'locations', locationIds: ['x'], thresholdQuantity: -1 } as never);
    expect(plan).toMatchObject({ ok: false, error: { code: 'api.invalid_input', field: 'thresholdQuantity' } });
    if (!plan.ok) {
      expect(plan.error.message.sv).toBe('"Omräkning vid avvikelse över (antal)" ska vara minst 0; inget har sparats.');
      expect(plan.error.message.en).toBe('"Recount when the difference is over (quantity)" must be at least 0; nothing was saved.');
    }

    const printers = await boss.call('printers.save', {
      printers: [{ id: 'p1', name: 'Skrivare', connection: { kind: 'network', host: '', port: 9100 }, dpi: 203, labelSize: { widthMm: 50, heightMm: 25 }, kinds: ['individual'] }],
    } as never);
    expect(printers.ok).toBe(false);
    if (!printers.ok) {
      expect(printers.error.message.sv).not.toMatch(/printers|connection|host/);
      expect(printers.error.message.sv).toContain('(skrivare 1)');
    }

    const moved = await boss.call('move.move', { individualId: null, articleId: 'a', fromLocationId: 'f', toLocationId: 't', quantity: 0 } as never);
    expect(moved.ok).toBe(false);
    if (!moved.ok) {
      expect(moved.error.message.sv).not.toContain('quantity');
      expect(moved.error.message.sv).toMatch(/inget har sparats/);
    }
  });

  it('says nothing was saved only where something could have been', async () => {
    const t = tinyApi();
    store = t.store;
    const pin = await t.api.call({ name: 'auth.signIn', input: { userId: 'u', pin: '12' } });
    expect(pin.ok).toBe(false);
    if (!pin.ok) {
      expect(pin.error.message.sv).toContain('"PIN-kod"');
      expect(pin.error.message.sv).not.toMatch(/sparats|"pin"/);
      expect(pin.error.message.en).not.toMatch(/saved|"pin"/);
    }
    const boss = await signedIn(t.api, 'supervisor');
    const search = await boss.call('stock.search', { text: 'x'.repeat(5000) } as never);
    expect(search.ok).toBe(false);
    if (!search.ok) expect(search.error.message.sv).not.toMatch(/sparats/);
    // Characters that are not text, and a failure inside the station, likewise.
    const broken = await boss.call('stock.search', { text: 'a\ud800' } as never);
    expect(broken).toMatchObject({ ok: false, error: { code: 'api.not_text' } });
    if (!broken.ok) expect(broken.error.message.sv).not.toMatch(/sparats/);
    expect(somethingWentWrong('stock.search').sv).not.toMatch(/sparats/);
    expect(somethingWentWrong('stock.search').en).not.toMatch(/saved/);
    expect(somethingWentWrong('stock.post').sv).toMatch(/inget har sparats/);
  });
});
