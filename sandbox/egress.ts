// A sandbox whose commands reach the network only through the egress proxy: each command first
// starts the forwarder (127.0.0.1:PROXY_PORT inside the command's own network namespace, relaying
// to the proxy's unix socket) and sees the proxy settings that curl, npm, pip, git and cargo read.
import type { Sandbox } from './types.js';
import { packageFile } from './package-root.js';

/** The port the forwarder listens on inside the sandbox. */
export const PROXY_PORT = 39871;
/** The forwarder script, built next to this module's own output. */
const forwarder = (): string => packageFile('dist', 'sandbox', 'egress-forwarder.js');
const READY_FILE = '/tmp/.sprout-egress-ready';

/** Proxy variables for tools inside the sandbox. */
export function proxyEnvironment(port = PROXY_PORT): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  const none = 'localhost,127.0.0.1,::1';
  return {
    HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url,
    NO_PROXY: none, no_proxy: none,
    npm_config_proxy: url, npm_config_https_proxy: url, PIP_PROXY: url,
  };
}

/** Wrap `sandbox` so every command goes out through the proxy at `socketPath` (bound into the sandbox). */
export function withEgress(sandbox: Sandbox, socketPath: string): Sandbox {
  const exports = Object.entries(proxyEnvironment()).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  // The forwarder starts in a subshell, so it is not a job of the command's shell (a `wait` there
  // does not wait for it); the sandbox ends it with the command like any leftover process.
  const prelude = [
    `( ${quote(process.execPath)} ${quote(forwarder())} ${quote(socketPath)} ${PROXY_PORT} ${READY_FILE} >/dev/null 2>&1 & )`,
    `for _ in $(seq 500); do [ -e ${READY_FILE} ] && break; sleep 0.01; done`,
    `export ${exports}`,
  ].join('; ');
  return {
    ...sandbox,
    exec: (command, options) => sandbox.exec(`${prelude}; exec bash -c ${quote(command)}`, options),
  };
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
