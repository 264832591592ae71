/**
 * The station API's reference is generated from the contract: the committed `docs/station-api.md`
 * is exactly what the contract says now, every call in it with who may make it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlers } from '../../api/contract';
import { apiReference, REFERENCE_FILE, REGISTER_REFERENCE_FILE, registerReference } from '../../scripts/api-reference';
import { registerApp } from '../../register/http';
import { REGISTER_ENDPOINTS } from '../../register/endpoints';
import { tinyRegister } from '../sync/harness';

describe('the API reference', () => {
  it('is what the contract says now (regenerate it with npx tsx scripts/api-reference.ts)', () => {
    const now = apiReference();
    expect(readFileSync(REFERENCE_FILE, 'utf8') === now, 'docs/station-api.md is out of date: run npx tsx scripts/api-reference.ts').toBe(true);
    for (const name of Object.keys(handlers)) expect(now).toContain(`### \`${name}\`\n\nWho: `);
    expect(now).toContain('### `workshop.setTraining`\n\nWho: supervisor, admin.');
  });
});

describe("the register's reference", () => {
  it('lists every route the register serves and nothing else, and is what the code says now', async () => {
    const reg = await tinyRegister('sqlite');
    const served = new Set(
      registerApp(reg.register)
        .routes.filter((r) => r.method === 'GET' || r.method === 'POST')
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...served].sort()).toEqual(REGISTER_ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort());
    expect(readFileSync(REGISTER_REFERENCE_FILE, 'utf8') === registerReference(), 'docs/register-api.md is out of date: run npx tsx scripts/api-reference.ts').toBe(true);
  });
});
