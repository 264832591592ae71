import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../electron/sender';

const built = 'file:///opt/depot-station/resources/app.asar/out/renderer/index.html';
const dev = 'http://localhost:5173/';

describe('IPC sender check', () => {
  it('trusts only the station page in its main frame', () => {
    expect(isTrustedSender({ url: `${built}#/search?q=I01`, parent: null }, built)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/#/individual/x', parent: null }, dev)).toBe(true);
  });

  it('refuses frames, other pages, other files and missing frames', () => {
    expect(isTrustedSender({ url: built, parent: {} }, built)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, built)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.org/', parent: null }, built)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, dev)).toBe(false);
    expect(isTrustedSender(null, built)).toBe(false);
  });
});
