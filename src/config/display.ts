// Defaults of what sprout shows people: refresh rates and cut-offs of the live and plain views.

/** How often the live view redraws elapsed times (ora animates its frame on its own clock). */
export const LIVE_REFRESH_MS = 250;
/** Off a terminal, a tool call's argument summary is cut here (a terminal cuts at its width). */
export const PLAIN_SUMMARY_CHARS = 120;
/** Off a terminal, a failure reason's first line is cut here. */
export const PLAIN_REASON_CHARS = 300;
/** Without a terminal, a batch writes one progress line this often. */
export const BATCH_PLAIN_PROGRESS_MS = 30_000;
/** Finished tasks needed before a batch shows an ETA. */
export const BATCH_ETA_MIN_DONE = 1;
