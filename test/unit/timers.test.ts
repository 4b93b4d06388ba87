// Timers for unbounded durations: a wait longer than Node's setTimeout maximum fires when it is due,
// neither at once nor at the maximum.
import { afterEach, expect, it, vi } from 'vitest';
import { longTimeout, MAX_TIMER_MS } from '../../src/config/timers.js';

afterEach(() => {
  vi.useRealTimers();
});

it('a 30-day timeout fires after 30 days, not at once and not at the 24.8-day timer maximum', () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  const day = 24 * 3600 * 1000;
  let fired = false;
  longTimeout(() => (fired = true), 30 * day);
  vi.advanceTimersByTime(1);
  expect(fired).toBe(false);
  vi.advanceTimersByTime(MAX_TIMER_MS);
  expect(fired).toBe(false);
  vi.advanceTimersByTime(30 * day - MAX_TIMER_MS - 2);
  expect(fired).toBe(false);
  vi.advanceTimersByTime(2);
  expect(fired).toBe(true);
});

it('a cancelled long timeout never fires', () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  let fired = false;
  const cancel = longTimeout(() => (fired = true), MAX_TIMER_MS * 3);
  vi.advanceTimersByTime(MAX_TIMER_MS + 10);
  cancel();
  vi.advanceTimersByTime(MAX_TIMER_MS * 3);
  expect(fired).toBe(false);
});
