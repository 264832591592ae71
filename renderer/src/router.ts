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

const parse = (): Route => parseHash(location.hash);

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
