// Runs inside the sandbox, whose network namespace has only a loopback: listens on 127.0.0.1:PORT
// and relays every connection to the egress proxy's unix socket, bound into the sandbox. This is
// the only way out; it writes READY_FILE once it listens so the command starts after it.
import { writeFileSync } from 'node:fs';
import net from 'node:net';

const [socketPath, port, readyFile] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath!);
  client.pipe(upstream).on('error', () => upstream.destroy());
  upstream.pipe(client).on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(Number(port), '127.0.0.1', () => writeFileSync(readyFile!, ''));
