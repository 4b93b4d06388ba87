// A batch's task process must not outlive its batch: SIGKILL of the batch cannot be trapped or
// passed on, so the task itself watches. The batch names its pid in the environment; once the
// task's parent is no longer that process (it died and the task was adopted), the task stops as
// on SIGTERM: its run is interrupted, its session saved, and a re-run of the batch resumes it.
import { BATCH_PARENT_ENV, PARENT_LOST_GRACE_MS, PARENT_WATCH_INTERVAL_MS } from '../config/process-limits.js';

/** Watch the batch named in `env`, if any; `onLost` is called once when it is gone. */
export function watchBatchParent(env: NodeJS.ProcessEnv, onLost: () => void): { dispose(): void } {
  const expected = Number(env[BATCH_PARENT_ENV]);
  if (!Number.isInteger(expected) || expected <= 0) return { dispose: () => undefined };
  let lost = false;
  const check = (): void => {
    if (lost || process.ppid === expected) return;
    lost = true;
    clearInterval(timer);
    // A run that cannot stop cleanly in time must still not keep spending without its batch.
    setTimeout(() => process.exit(143), PARENT_LOST_GRACE_MS).unref();
    onLost();
  };
  const timer = setInterval(check, PARENT_WATCH_INTERVAL_MS);
  timer.unref();
  check();
  return { dispose: () => clearInterval(timer) };
}
