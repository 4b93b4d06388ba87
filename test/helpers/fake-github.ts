// A fake GitHub REST API on 127.0.0.1 for the Action's tests: collaborator permissions, issue
// comments (create, update) and pull requests, with every request recorded.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGithubRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeGithub {
  url: string;
  requests: FakeGithubRequest[];
  /** Comments by id, with every body they had. */
  comments: Map<number, { issue: number; bodies: string[] }>;
  pulls: Array<{ number: number; head: string; base: string; title: string; body: string }>;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
};

/** `permissions`: login -> admin|maintain|write|triage|read|none; unknown logins get 404 (not a collaborator). */
export async function startFakeGithub(permissions: Record<string, string>): Promise<FakeGithub> {
  const requests: FakeGithubRequest[] = [];
  const comments = new Map<number, { issue: number; bodies: string[] }>();
  const pulls: FakeGithub['pulls'] = [];
  let nextId = 1000;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/.exec(path)) && req.method === 'GET') {
      const login = decodeURIComponent(m[1]!);
      const permission = permissions[login];
      return permission ? send(200, { permission, role_name: permission, user: { login } }) : send(404, { message: `${login} is not a user` });
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path)) && req.method === 'POST') {
      const id = nextId++;
      comments.set(id, { issue: Number(m[1]), bodies: [(body as { body: string }).body] });
      return send(201, { id, html_url: `https://github.invalid/comment/${id}` });
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)) && req.method === 'PATCH') {
      const comment = comments.get(Number(m[1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.bodies.push((body as { body: string }).body);
      return send(200, { id: Number(m[1]) });
    }
    if (/^\/repos\/[^/]+\/[^/]+\/pulls\?/.test(path) && req.method === 'GET') return send(200, []);
    if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(path) && req.method === 'POST') {
      const pull = { number: pulls.length + 1, ...(body as { head: string; base: string; title: string; body: string }) };
      pulls.push(pull);
      return send(201, { number: pull.number, html_url: `https://github.invalid/pull/${pull.number}` });
    }
    send(404, { message: `the fake GitHub API has no ${req.method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests, comments, pulls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
