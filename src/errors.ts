// The typed errors for what the user or the environment got wrong. The CLI maps each class to an
// exit code in one place (src/cli/exit-codes.ts); messages say what happened and what to do next.

/** Base class of every error sprout reports to a user (as opposed to a bug). */
export abstract class SproutError extends Error {
  abstract readonly kind: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line was wrong: unknown option, bad value, missing task. The user's fault; exit 2. */
export class UsageError extends SproutError {
  readonly kind = 'usage';
}

/** A config file, env variable or key is missing or invalid. The user's fault; exit 1. */
export class ConfigError extends SproutError {
  readonly kind = 'config';
}

/**
 * An input the user named (task file, working directory, manifest) cannot be read or is invalid.
 * The user's fault, so a usage error in the CLI contract's terms; exit 2.
 */
export class InputError extends SproutError {
  readonly kind = 'input';
}

/** The model provider answered with an error or could not be reached. Exit 1. */
export class ApiError extends SproutError {
  readonly kind = 'api';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** How long the provider asked us to wait (Retry-After), if it said. */
  readonly retryAfterMs: number | undefined;
}

/** The sandbox cannot run here (bwrap missing, user namespaces refused). Exit 1; never a silent fallback. */
export class SandboxError extends SproutError {
  readonly kind = 'sandbox';
}

/** A saved session cannot be read or resumed (empty, not a session, damaged header). Exit 1. */
export class SessionError extends SproutError {
  readonly kind = 'session';
}
