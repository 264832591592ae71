/**
 * The station API's reference is generated from the contract: the committed `docs/station-api.md`
 * is exactly what the contract says now, every call in it with who may make it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlers } from '../../api/contract';
import { apiReference, REFERENCE_FILE } from '../../scripts/api-reference';

describe('the API reference', () => {
  it('is what the contract says now (regenerate it with npx tsx scripts/api-reference.ts)', () => {
    const now = apiReference();
    expect(readFileSync(REFERENCE_FILE, 'utf8') === now, 'docs/station-api.md is out of date: run npx tsx scripts/api-reference.ts').toBe(true);
    for (const name of Object.keys(handlers)) expect(now).toContain(`### \`${name}\`\n\nWho: `);
    expect(now).toContain('### `workshop.setTraining`\n\nWho: supervisor, admin.');
  });
});
