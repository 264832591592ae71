import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../renderer/src/router';

describe('screen addresses', () => {
  it('reads the screen, the id and the query from the hash', () => {
    const r = parseHash('#/count/c1?q=rollator&x=1');
    expect(r.path).toEqual(['count', 'c1']);
    expect(r.query.get('q')).toBe('rollator');
    expect(r.query.get('x')).toBe('1');
  });

  it('reads no screen from an empty address', () => {
    for (const hash of ['', '#', '#/', '#//']) expect(parseHash(hash).path, hash).toEqual([]);
  });

  it('gives back exactly the parts it was given, whatever they hold', () => {
    for (const parts of [['individual', 'a/b'], ['search'], ['location', 'A-01 ?#%'], ['article', 'Å-ö']]) {
      expect(parseHash(href(...parts)).path).toEqual(parts);
    }
  });

  it('keeps a part typed by hand that is not valid percent-encoding, rather than failing', () => {
    expect(parseHash('#/article/100%').path).toEqual(['article', '100%']);
    expect(parseHash('#/search/%E0%A4%A').path).toEqual(['search', '%E0%A4%A']);
  });
});
