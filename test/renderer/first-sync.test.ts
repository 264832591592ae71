/**
 * The first-sync screen, rendered to markup as the page shows it: the copy's counts and time left,
 * a bar that moves rather than stands full while the copy is put in order, and what stopped the last
 * attempt, standing still through the attempts that fail, until the register answers one.
 */
import './page';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FirstSync, leftAfter } from '../../renderer/src/features/sync/FirstSync';
import type { SyncStatus } from '../../services/sync';

const status = (over: Partial<SyncStatus>): SyncStatus => ({ enrolled: true, online: true, syncing: true, lastError: null, progress: null, ...over }) as SyncStatus;
const shown = (s: SyncStatus) => renderToStaticMarkup(createElement(FirstSync, { status: s }));
const FAILED = { sv: 'Registret går inte att nå, så stationen kan inte hämta sina data än.', en: 'The register cannot be reached.' };

describe('the first-sync screen', () => {
  it('counts the rows with the time left while they come, and moves its bar while the copy is put in order', () => {
    const downloading = shown(status({ progress: { phase: 'download', done: 55_036, total: 1_672_838, secondsLeft: 53 } }));
    expect(downloading).toMatch(/Hämtar: 55\s036 av 1\s672\s838 rader, cirka 53 s kvar/);
    expect(downloading).toMatch(/<progress[^>]* value="55036"/);
    const finishing = shown(status({ progress: { phase: 'finish', done: 1_672_838, total: 1_672_838, secondsLeft: 0 } }));
    expect(finishing).toMatch(/Gör klart: alla 1\s672\s838 rader är sparade/);
    // No value: the bar moves (indeterminate) instead of standing full and still.
    expect(finishing).toMatch(/<progress(?![^>]* value=)[^>]*>/);
  });

  it('counts each estimate down until the next comes, says nothing once it runs out, and tells long copies in hours', () => {
    // An estimate of 33 s told 22 s ago, with no piece of the copy since (a slow line): 11 s.
    expect(leftAfter(33, 22)).toBe(11);
    expect(leftAfter(33, 0)).toBe(33);
    // Past it, with still no piece: no time is promised rather than "0 s".
    expect(leftAfter(33, 33)).toBeNull();
    expect(leftAfter(33, 89)).toBeNull();
    const long = (secondsLeft: number) => shown(status({ progress: { phase: 'download', done: 1_000, total: 1_000_000, secondsLeft } }));
    expect(long(89)).toContain('cirka 89 s kvar');
    expect(long(100)).toContain('cirka 2 min kvar');
    expect(long(119 * 60)).toContain('cirka 119 min kvar');
    expect(long(3 * 3600 + 600)).toContain('cirka 3 h kvar');
  });

  it('shows what stopped the last attempt, with no bar, until the register answers one', () => {
    const failed = shown(status({ syncing: false, lastError: FAILED }));
    expect(failed).toContain('kan inte hämta sina data än');
    // Nothing moves while the station only waits to try again, nor while it tries and has no answer yet.
    expect(failed).not.toContain('<progress');
    expect(shown(status({}))).toContain('<progress');
    const trying = shown(status({ syncing: true, lastError: FAILED }));
    expect(trying).not.toContain('<progress');
    expect(trying).toContain('kan inte hämta sina data än');
    // The register has answered: the error goes, and the bar moves while it prepares the copy.
    const preparing = shown(status({ lastError: FAILED, progress: { phase: 'prepare', done: 0, total: 0, secondsLeft: null } }));
    expect(preparing).toContain('Registret har svarat och förbereder kopian');
    expect(preparing).toMatch(/<progress(?![^>]* value=)[^>]*>/);
    expect(preparing).not.toContain('kan inte hämta');
    expect(preparing).not.toMatch(/kvar|av 0 rader/);
    expect(shown(status({ lastError: FAILED, progress: { phase: 'download', done: 20, total: 1_000, secondsLeft: null } }))).not.toContain('kan inte hämta');
  });
});
