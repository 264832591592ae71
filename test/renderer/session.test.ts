import './page';
import { describe, expect, it } from 'vitest';
import { gate, type GateState } from '../../renderer/src/session/gate';
import { DEFAULT_IDLE_MINUTES, idleTooLong } from '../../renderer/src/session/useIdleLock';

const state = (over: Partial<GateState> = {}): GateState => ({ ready: true, signedIn: false, settingUp: false, kiosk: false, staffMode: false, ...over });

describe('what the station shows first', () => {
  it('waits until it knows who is signed in', () => {
    expect(gate(state({ ready: false }))).toBe('loading');
    expect(gate(state({ ready: false, signedIn: true, kiosk: true }))).toBe('loading');
  });

  it('shows the work of whoever is signed in, kiosk or not, set up or not', () => {
    expect(gate(state({ signedIn: true }))).toBe('signed-in');
    expect(gate(state({ signedIn: true, kiosk: true }))).toBe('signed-in');
    expect(gate(state({ signedIn: true, settingUp: true }))).toBe('signed-in');
  });

  it('waits for the first copy from the register before anyone signs in, kiosk included', () => {
    expect(gate(state({ settingUp: true }))).toBe('first-sync');
    expect(gate(state({ settingUp: true, kiosk: true }))).toBe('first-sync');
  });

  it('opens the kiosk where it is switched on, until staff choose to sign in', () => {
    expect(gate(state({ kiosk: true }))).toBe('kiosk');
    expect(gate(state({ kiosk: true, staffMode: true }))).toBe('sign-in');
    expect(gate(state())).toBe('sign-in');
  });
});

describe('the idle lock', () => {
  const minute = 60_000;
  it('locks only once the whole idle time has passed with nothing done', () => {
    expect(idleTooLong(0, 15 * minute, 15)).toBe(false);
    expect(idleTooLong(0, 15 * minute + 1, 15)).toBe(true);
    expect(idleTooLong(10 * minute, 20 * minute, 15)).toBe(false);
  });

  it('follows the idle time set for the station', () => {
    expect(idleTooLong(0, 3 * minute, 2)).toBe(true);
    expect(idleTooLong(0, 3 * minute, DEFAULT_IDLE_MINUTES)).toBe(false);
  });
});
