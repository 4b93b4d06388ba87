// Failing tests read from console output, one reader per runner's way of printing them: cargo's
// `---- name stdout ----` sections, mocha's numbered list after "N failing" and go's `--- FAIL:`
// lines. Each returns [] when its runner's shape is absent.
import { firstLines, relativePath, type ParseContext, type TestFailure } from './types.js';

/** cargo test: a section per failing test, between its header and the next header or the closing list. */
export function cargoFailures(text: string): TestFailure[] {
  const headers = [...text.matchAll(/^---- (.+?) stdout ----$/gm)];
  return headers.map((header, i) => {
    const start = (header.index ?? 0) + header[0].length;
    const next = headers[i + 1]?.index ?? text.indexOf('\nfailures:', start);
    const body = text.slice(start, next < 0 ? undefined : next);
    // Rust >= 1.73: "panicked at src/lib.rs:7:20:" then the message; older: "panicked at 'message', src/lib.rs:7:5".
    const quoted = /panicked at '([\s\S]*?)', ([^\s:]+):(\d+):\d+/.exec(body);
    const bare = /panicked at ([^\s:]+):(\d+):\d+:\n([\s\S]*?)(?:\nnote: |\nstack backtrace:|$)/.exec(body);
    const name = header[1] ?? '';
    if (quoted) return { name, file: quoted[2], line: Number(quoted[3]), message: firstLines(quoted[1] ?? '') };
    if (bare) return { name, file: bare[1], line: Number(bare[2]), message: firstLines(bare[3] ?? '') || '(no message)' };
    return { name, message: firstLines(body) || '(no message)' };
  });
}

/** mocha's spec reporter: after "N failing", blocks headed "  1) suite" ... "       test:" then the error. */
export function mochaFailures(text: string, ctx: ParseContext): TestFailure[] {
  const summary = /^\s*\d+ failing\s*$/m.exec(text);
  if (!summary) return [];
  const section = text.slice((summary.index ?? 0) + summary[0].length);
  const headers = [...section.matchAll(/^ {2}(\d+)\) (.*)$/gm)];
  return headers.map((header, i) => {
    const end = headers[i + 1]?.index ?? section.length;
    const lines = section.slice(header.index ?? 0, end).split('\n');
    const title: string[] = [header[2] ?? ''];
    let at = 1;
    // The title runs on over indented lines until one ends with ":".
    while (!(title.at(-1) ?? '').endsWith(':') && at < lines.length) title.push((lines[at++] ?? '').trim());
    const name = title.map((t) => t.trim()).join(' > ').replace(/:$/, '');
    const body = lines.slice(at).join('\n');
    const frame = /^\s*at .*?\(?((?:file:\/\/)?[^\s()]+\.[cm]?[jt]sx?):(\d+):\d+\)?\s*$/m.exec(body);
    const inProject = frame && !frame[1]?.includes('node_modules');
    return {
      name,
      file: inProject ? relativePath(frame[1] ?? '', ctx) : undefined,
      line: inProject ? Number(frame[2]) : undefined,
      message: firstLines(body) || '(no message)',
    };
  });
}

/** go test's plain output: "--- FAIL: TestX (0.00s)" followed by the test's indented log lines. */
export function goFailures(text: string): TestFailure[] {
  const lines = text.split('\n');
  const failures: (TestFailure & { test: string })[] = [];
  lines.forEach((line, i) => {
    const header = /^(\s*)--- FAIL: (\S+) \(/.exec(line);
    if (!header) return;
    const indent = header[1]?.length ?? 0;
    const body: string[] = [];
    for (const next of lines.slice(i + 1)) {
      const nextIndent = next.length - next.trimStart().length;
      if (next.trim() === '' || nextIndent <= indent || /^\s*(---|===) /.test(next)) break;
      body.push(next);
    }
    const where = body.map((l) => /^\s*([\w./-]+\.go):(\d+): ?/.exec(l)).find((m) => m !== null);
    const message = body.map((l) => l.replace(/^(\s*)[\w./-]+\.go:\d+: /, '$1')).join('\n');
    failures.push({ test: header[2] ?? '', name: header[2] ?? '', file: where?.[1], line: where?.[2] !== undefined ? Number(where[2]) : undefined, message: firstLines(message) || '(no message)' });
  });
  // A parent fails because a subtest did; the subtest is the one to look at.
  return failures
    .filter((f) => !failures.some((o) => o.test.startsWith(`${f.test}/`)))
    .map(({ test: _test, ...failure }) => failure);
}
