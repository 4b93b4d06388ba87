// Timers for durations a user sets without an upper bound (--timeout, idle timeouts): Node fires a
// setTimeout longer than its maximum at once, so a longer wait is made of several shorter ones.

/** Node's longest setTimeout delay, about 24.8 days; a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Call `fire` once `ms` have passed, however large `ms` is; returns the function that cancels it. */
export function longTimeout(fire: () => void, ms: number, options: { unref?: boolean } = {}): () => void {
  const due = performance.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = (left: number): void => {
    timer = setTimeout(() => {
      const rest = due - performance.now();
      if (rest > 0) arm(rest);
      else fire();
    }, Math.min(Math.max(left, 0), MAX_TIMER_MS));
    if (options.unref) timer.unref();
  };
  arm(ms);
  return () => clearTimeout(timer);
}
