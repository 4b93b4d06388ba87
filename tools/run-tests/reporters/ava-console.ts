// Reading an ava run from its default console reporter: a `✔ title` / `✘ [fail]: title` line per
// test, closing lines like `1 test failed` / `3 tests passed` / `1 test skipped` (ava prints no pass
// count when something failed, so the ✔ lines are counted), and a block per failure between `─`
// rules: the title, `file:line`, a code excerpt, then the message.
import { firstLines, type TestFailure, type TestReport } from './types.js';

const CLOSING = /^\s*(\d+) (?:tests?|known failures?|uncaught exceptions?|unhandled rejections?) (passed|failed|skipped|todo|known failure)s?\s*$/gm;

/** Counts and failures, or undefined when ava's closing lines are absent. */
export function readAva(text: string): TestReport | undefined {
  const closing = [...text.matchAll(CLOSING)];
  if (closing.length === 0 || !/^\s*(✔|✘|-) /m.test(text)) return undefined;
  const said = new Map(closing.map((m) => [m[2] ?? '', Number(m[1])]));
  const ticks = [...text.matchAll(/^\s*✔ (?!\[expected fail\])/gm)].length;
  const failures = failureBlocks(text);
  return {
    passed: said.get('passed') ?? ticks,
    failed: Math.max(said.get('failed') ?? 0, failures.length),
    skipped: (said.get('skipped') ?? 0) + (said.get('todo') ?? 0),
    failures,
    errors: [],
  };
}

function failureBlocks(text: string): TestFailure[] {
  const names = new Set([...text.matchAll(/^\s*✘ \[fail\]: (.+)$/gm)].map((m) => m[1] ?? ''));
  const failures: TestFailure[] = [];
  for (const block of text.split(/^\s*─\s*$/m).slice(1)) {
    const lines = block.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const where = /^(\S+?):(\d+)$/.exec(lines[1] ?? '');
    // Only a block headed by a failing test's title (the ✘ line starts with it) is a failure.
    const name = lines[0] ?? '';
    if (!where || ![...names].some((n) => n.startsWith(name))) continue;
    const rest = lines.slice(2).filter((l) => !/^\d+: /.test(l) && !l.startsWith('›'));
    failures.push({ name, file: where[1], line: Number(where[2]), message: firstLines(rest.join('\n')) || '(no message)' });
  }
  return failures;
}
