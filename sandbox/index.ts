// The public face of sandbox/: the Sandbox interface, the host and bwrap backends and the pieces
// other backends and tools share (path confinement, environment scrubbing, process running).
export type { ExecOptions, ExecResult, Sandbox, SandboxKind } from './types.js';
export { PathChangedError, PathOutsideError, SandboxUnavailableError, UnsupportedFileError } from './types.js';
export { InvalidPathError, isInside, resolveInside } from './paths.js';
export { buildToolEnv, looksSecret, type ToolEnvOptions } from './env.js';
export { killGroup, runProcess, type RunProcessOptions } from './exec.js';
export { OutputCapture, type CapturedOutput } from './output-capture.js';
export { confinedFiles, MAX_READ_BYTES, type ConfinedFiles, type ConfinedFilesOptions } from './confined-files.js';
export { createHostSandbox, type HostSandboxOptions } from './host.js';
export { createBwrapSandbox, SANDBOX_HOME, type BwrapSandboxOptions } from './bwrap.js';
export { buildBwrapArgs, HIDDEN_DIRECTORIES, SECRET_FILES, type BwrapLayout, type HostFacts } from './bwrap-args.js';
export { inspectHost } from './bwrap-host.js';
export {
  classifyBwrapFailure,
  clearBwrapProbeCache,
  probeBwrap,
  type BwrapProbeOptions,
  type BwrapProbeResult,
  type BwrapProblem,
} from './bwrap-probe.js';
export { GitCommandError, GitRefusedError, gitNotes, initRepository, openGitDoor, type GitDoor, type GitDoorOptions, type StartRepo } from './git.js';
export { trackChanges } from './changes.js';
