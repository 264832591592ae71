import { useEffect, useState } from 'react';

/** Screens are addressed by the hash (`#/individual/<id>`), so Back and Forward work everywhere. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

/** The route an address's hash names: `#/count/c1?q=x` is path `['count', 'c1']` with query `q=x`. */
export function parseHash(hash: string): Route {
  const [p = '', q = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: p.split('/').filter(Boolean).map(decodePart), query: new URLSearchParams(q) };
}

/** A part as typed when it is not valid percent-encoding (`#/article/100%`), rather than no screen at all. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** An address shown before the history has it (see `navigateAtOnce`). */
let ahead: string | null = null;

const parse = (): Route => parseHash(ahead ?? location.hash);

/** The address shown ahead goes into the history now, if it is still the one shown. */
function writeAhead(to: string | null = ahead): void {
  if (ahead === null || ahead !== to) return;
  ahead = null;
  history.pushState(null, '', to);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = (e: Event) => {
      // Back, Forward or a link followed (the browser's own event): the history is the address again.
      if (e.isTrusted) ahead = null;
      setRoute(parse());
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(to: string, replace = false): void {
  writeAhead();
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * Opens an address at once and writes it into the history after the frame that shows it (or a
 * moment later, should no frame come): a scan's screen is shown in the frame after the scan, and
 * the history's own cost (a round trip to the browser) comes after. Back and Forward meanwhile go
 * from the history as it is, and the address shown ahead is dropped.
 */
export function navigateAtOnce(to: string): void {
  writeAhead();
  ahead = to;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  requestAnimationFrame(() => setTimeout(() => writeAhead(to)));
  setTimeout(() => writeAhead(to), 100);
}
