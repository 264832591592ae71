/**
 * Service levels from the service agreement, on the Swedish working calendar:
 * - acute: done within 24 hours of the job's arrival;
 * - urgent: done within 3 working days (by the same time of day on the third working day after);
 * - normal: started within 3 working days.
 * A job is "due soon" in the last fifth of its window (at most the last 8 hours), then "breached".
 */
import { addDays, isWorkingDay, localDay } from '../../vocabulary/calendar';

export const PRIORITIES = ['acute', 'urgent', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

const HOUR = 3_600_000;

/** The same local time of day, `n` working days after `at` (from the next working day when `at` falls on a day off). */
export function addWorkingDays(at: number, n: number): number {
  const start = new Date(at);
  let day = localDay(at);
  let timeOfDay = start.getHours() * HOUR + start.getMinutes() * 60_000 + start.getSeconds() * 1000 + start.getMilliseconds();
  if (!isWorkingDay(day)) {
    // Arriving on a day off, the clock starts with the next working day.
    timeOfDay = 0;
    while (!isWorkingDay(day)) day = addDays(day, 1);
  }
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime() + timeOfDay;
}

export interface Clock {
  /** What the deadline is for: the job done, or (normal priority) the job started. */
  measures: 'done' | 'started';
  due: number;
}

export function serviceClock(priority: Priority, arrivedAt: number): Clock {
  switch (priority) {
    case 'acute':
      return { measures: 'done', due: arrivedAt + 24 * HOUR };
    case 'urgent':
      return { measures: 'done', due: addWorkingDays(arrivedAt, 3) };
    case 'normal':
      return { measures: 'started', due: addWorkingDays(arrivedAt, 3) };
  }
}

export type ClockState = 'ok' | 'due_soon' | 'breached' | 'met';

/** Where a job stands against its clock at `now`, given when it was started and finished (if it was). */
export function clockState(priority: Priority, arrivedAt: number, now: number, job: { startedAt?: number | null; doneAt?: number | null }): ClockState {
  const clock = serviceClock(priority, arrivedAt);
  const stop = clock.measures === 'done' ? job.doneAt : job.startedAt;
  if (stop !== null && stop !== undefined) return stop <= clock.due ? 'met' : 'breached';
  if (now > clock.due) return 'breached';
  const window = clock.due - arrivedAt;
  return clock.due - now <= Math.min(8 * HOUR, window / 5) ? 'due_soon' : 'ok';
}
