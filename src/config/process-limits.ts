// Timings of sprout's own processes (not the model's): how a batch's task notices its batch is gone.

/** Environment variable through which a batch tells its task processes its pid. */
export const BATCH_PARENT_ENV = 'SPROUT_BATCH_PARENT_PID';
/** How often a batch's task checks that its batch still runs (a kill -9 cannot be trapped). */
export const PARENT_WATCH_INTERVAL_MS = 500;
/** How long a task whose batch died may take to stop cleanly before it exits at once. */
export const PARENT_LOST_GRACE_MS = 10_000;
