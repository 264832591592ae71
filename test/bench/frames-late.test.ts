import { describe, expect, it } from 'vitest';
import { framesBetween } from '../../bench/scan-to-screen';

// Frames begun every 16.7 ms, as a 60 Hz display gives them.
const frames = Array.from({ length: 10 }, (_, i) => 1000 + i * 16.7);

describe('scan to screen counts the frames a scan waited beyond the first one after its bytes', () => {
  it('counts 0 for the first frame begun after the bytes, wherever in the frame they came', () => {
    expect(framesBetween(frames, 1000.1, frames[1]!)).toBe(0);
    expect(framesBetween(frames, 1016.6, frames[1]!)).toBe(0);
  });

  it('counts each frame after that one', () => {
    expect(framesBetween(frames, 1000.1, frames[2]!)).toBe(1);
    expect(framesBetween(frames, 1016.6, frames[4]!)).toBe(3);
  });

  it('refuses a frame the page never recorded rather than guess', () => {
    expect(() => framesBetween(frames, 1000.1, 1234.5)).toThrow(/did not record/);
    expect(() => framesBetween(frames, 5000, frames[9]!)).toThrow(/did not record/);
  });
});
