/** The frame an IPC message came from, as far as the check needs it. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * Only the station's own page, in its main frame, may call the station: not an iframe, not a page
 * navigated elsewhere, not another file on disk.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, rendererUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  const expected = new URL(rendererUrl);
  if (expected.protocol === 'file:') return url.protocol === 'file:' && url.pathname === expected.pathname;
  return url.origin === expected.origin;
}
