/**
 * Every call's input has a limit on every piece of text and every list in it, public calls
 * included: whatever is accepted may end up in the database and in the audit trail for good.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { handlers } from '../../api/contract';

type Schema = z.core.$ZodType;
const def = (s: Schema) => s._zod.def as unknown as Record<string, unknown> & { type: string };

/** Paths to strings or arrays in a schema that have no upper limit on their length. */
function unbounded(s: Schema, path: string, seen = new Set<Schema>()): string[] {
  if (seen.has(s)) return [];
  seen.add(s);
  const d = def(s);
  const limited = ((d.checks ?? []) as { _zod: { def: { check: string } } }[]).some((c) => ['max_length', 'length_equals'].includes(c._zod.def.check));
  switch (d.type) {
    case 'string':
      return limited ? [] : [path];
    case 'array':
      return [...(limited ? [] : [`${path}[]`]), ...unbounded(d.element as Schema, `${path}[]`, seen)];
    case 'object':
      return Object.entries(d.shape as Record<string, Schema>).flatMap(([k, v]) => unbounded(v, `${path}.${k}`, seen));
    case 'record':
      return [...unbounded(d.keyType as Schema, `${path}{key}`, seen), ...unbounded(d.valueType as Schema, `${path}{}`, seen)];
    case 'tuple':
      return (d.items as Schema[]).flatMap((v, i) => unbounded(v, `${path}[${i}]`, seen));
    case 'union':
    case 'discriminated_union':
      return (d.options as Schema[]).flatMap((v) => unbounded(v, path, seen));
    case 'intersection':
      return [...unbounded(d.left as Schema, path, seen), ...unbounded(d.right as Schema, path, seen)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return unbounded(d.innerType as Schema, path, seen);
    case 'pipe':
      return unbounded(d.in as Schema, path, seen);
    case 'lazy':
      return unbounded((d.getter as () => Schema)(), path, seen);
    case 'number':
    case 'int':
    case 'boolean':
    case 'literal':
    case 'enum':
    case 'null':
    case 'undefined':
    case 'bigint':
    case 'date':
    case 'nan':
    case 'never':
    case 'void':
      return [];
    default:
      // Anything else (unknown, any, custom, a map or set…) takes input of any size.
      return [`${path} (${d.type})`];
  }
}

describe('input limits', () => {
  it('every string and list in every call has a maximum length', () => {
    const open = Object.entries(handlers).flatMap(([name, h]) => unbounded((h as { input: Schema }).input, name));
    expect(open).toEqual([]);
  });
});
