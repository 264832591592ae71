/**
 * How the register judges a pushed service job (register/queue.ts), as a pure function: steps
 * replayed by the flow onto those it holds, a station's own steps only, two stations that stepped
 * one job apart settled first come, and a take that loses to an earlier one.
 */
import { describe, expect, it } from 'vitest';
import { mergeJob } from '../../register/queue';

const known = (kind: 'user' | 'individual', id: string) =>
  kind === 'individual' && id === 'ind-1' ? { id, article_id: 'art-1' } : kind === 'user' && ['anna', 'bo'].includes(id) ? { id } : undefined;

const step = (id: string, at: number, station: string, action: string, from: string, to: string) => ({ id, at, station_id: station, user_id: 'anna', action, from_state: from, to_state: to, detail: null });
const job = (state: string, events: ReturnType<typeof step>[], extra: Record<string, unknown> = {}) => ({
  id: 'job-1',
  individual_id: 'ind-1',
  article_id: 'art-1',
  site_id: 'boden',
  state,
  priority: 'normal',
  arrived_at: 1_000,
  due_at: 9_000,
  started_at: null,
  done_at: null,
  taken_by: null,
  breached_at: null,
  closed_at: null,
  events,
  ...extra,
});
const opened = step('e1', 1_000, 'A', 'open', 'returned', 'returned');
const toWash = (station: string, at = 2_000) => step(`wash-${station}`, at, station, 'send_to_cleaning', 'returned', 'awaiting_cleaning');

describe('the register judging a service job', () => {
  it('keeps the steps that follow the flow, and refuses a job whose state its steps do not reach', () => {
    const held = job('returned', [opened]);
    const r = mergeJob('job-1', job('awaiting_cleaning', [opened, toWash('B')]), held, 'B', known);
    expect(r).toMatchObject({ data: { state: 'awaiting_cleaning', events: [{ id: 'e1' }, { id: 'wash-B' }] } });
    expect('conflict' in r).toBe(false);
    expect(mergeJob('job-1', job('inspected', [opened]), held, 'B', known)).toMatchObject({ code: 'sync.bad_job' });
    // A new job's first step is its opening; another station's step cannot be written in its name.
    expect(mergeJob('job-1', job('awaiting_cleaning', [toWash('B')]), undefined, 'B', known)).toMatchObject({ code: 'sync.bad_job' });
    expect(mergeJob('job-1', job('awaiting_cleaning', [opened, toWash('C')]), held, 'B', known)).toMatchObject({ code: 'sync.bad_job' });
    // Unknown device or technician.
    expect(mergeJob('job-1', { ...job('returned', [opened]), individual_id: 'ind-x' }, held, 'B', known)).toMatchObject({ code: 'sync.bad_job' });
    expect(mergeJob('job-1', job('returned', [opened], { taken_by: 'eve' }), held, 'B', known)).toMatchObject({ code: 'sync.bad_job' });
  });

  it('keeps the first of two stations that stepped one job apart, and tells the site', () => {
    const first = mergeJob('job-1', job('awaiting_cleaning', [opened, toWash('A')]), job('returned', [opened]), 'A', known);
    if (!('data' in first)) throw new Error('refused');
    // B, offline, sent the same job to the wash too: its step does not follow A's.
    const second = mergeJob('job-1', job('awaiting_cleaning', [opened, toWash('B', 2_500)]), first.data, 'B', known);
    expect(second).toMatchObject({ data: { state: 'awaiting_cleaning', events: [{ id: 'e1' }, { id: 'wash-A' }] }, conflict: { reason: 'stepped' } });
  });

  it('gives a job to the first who took it; a step never gives a taken job back', () => {
    const held = job('returned', [opened], { taken_by: 'anna' });
    expect(mergeJob('job-1', job('returned', [opened], { taken_by: 'bo' }), held, 'B', known)).toMatchObject({ data: { taken_by: 'anna' }, conflict: { reason: 'taken', keptBy: 'anna' } });
    expect(mergeJob('job-1', job('awaiting_cleaning', [opened, toWash('B')]), held, 'B', known)).toMatchObject({ data: { taken_by: 'anna', state: 'awaiting_cleaning' } });
    // Given back by its holder (no step): the job is free.
    expect(mergeJob('job-1', job('returned', [opened]), held, 'A', known)).toMatchObject({ data: { taken_by: null } });
  });

  it('steps an imported job, which has no steps of its own, from where it stood', () => {
    const imported = job('cleaned', [], { arrived_at: 500 });
    const inspect = step('i1', 3_000, 'B', 'inspect', 'cleaned', 'inspected');
    const r = mergeJob('job-1', job('inspected', [inspect], { arrived_at: 500 }), imported, 'B', known);
    expect(r).toMatchObject({ data: { state: 'inspected', events: [{ id: 'i1' }] } });
    if (!('data' in r)) throw new Error('refused');
    const release = step('r1', 4_000, 'A', 'release', 'inspected', 'ready');
    expect(mergeJob('job-1', job('ready', [inspect, release], { arrived_at: 500 }), r.data, 'A', known)).toMatchObject({ data: { state: 'ready', closed_at: 4_000, done_at: 4_000 } });
  });
});
