// The public face of sandbox/: the Sandbox interface, the host backend and the pieces other
// backends and tools share (path confinement, environment scrubbing, process running).
export type { ExecOptions, ExecResult, Sandbox, SandboxKind } from './types.js';
export { PathOutsideError } from './types.js';
export { InvalidPathError, isInside, resolveInside } from './paths.js';
export { buildToolEnv, looksSecret, type ToolEnvOptions } from './env.js';
export { killGroup, runProcess, type RunProcessOptions } from './exec.js';
export { OutputCapture, type CapturedOutput } from './output-capture.js';
export { createHostSandbox, type HostSandboxOptions } from './host.js';
