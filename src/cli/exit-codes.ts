// Exit codes of the CLI contract, and the one place that maps outcomes and errors to them.
import type { RunStatus } from '../agent/events.js';
import { InputError, SproutError, UsageError } from '../errors.js';

export const EXIT = {
  success: 0,
  error: 1,
  usage: 2,
  limit: 3,
  interrupted: 130,
} as const;

/** The exit code for how a run ended. */
export function exitCodeForStatus(status: RunStatus): number {
  return EXIT[status];
}

/** The exit code for an error that stopped the CLI before or outside a run. */
export function exitCodeForError(error: unknown): number {
  if (error instanceof UsageError || error instanceof InputError) return EXIT.usage;
  if (error instanceof SproutError) return EXIT.error;
  return EXIT.error;
}
