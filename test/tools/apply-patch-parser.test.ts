// The apply_patch parser on its own: the operations it builds, its leniencies, and the line numbers
// and alternatives of its errors.
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/define-tool.js';
import { parsePatch, patchPaths, PatchSyntaxError } from '../../tools/apply-patch/parser.js';

const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

/** The error parsePatch throws for `text`. */
function failure(text: string): PatchSyntaxError {
  try {
    parsePatch(text);
  } catch (error) {
    if (error instanceof PatchSyntaxError) return error;
    throw error;
  }
  throw new Error('the patch parsed');
}

describe('parsePatch builds operations', () => {
  it('parses add, delete and update with a move, an anchor and every kind of hunk line', () => {
    const ops = parsePatch(
      patch('*** Add File: a.txt', '+one', '+two', '*** Delete File: b.txt', '*** Update File: c.py', '*** Move to: d.py', '@@ def f():', ' keep', '-old', '+new'),
    );
    expect(ops).toEqual([
      { kind: 'add', path: 'a.txt', lines: ['one', 'two'], patchLine: 2 },
      { kind: 'delete', path: 'b.txt', patchLine: 5 },
      {
        kind: 'update',
        path: 'c.py',
        moveTo: 'd.py',
        patchLine: 6,
        hunks: [
          {
            header: '@@ def f():',
            anchors: ['def f():'],
            endOfFile: false,
            patchLine: 8,
            lines: [
              { kind: ' ', text: 'keep' },
              { kind: '-', text: 'old' },
              { kind: '+', text: 'new' },
            ],
          },
        ],
      },
    ]);
  });

  it('lets the first hunk of a file leave out its @@ line, and splits later hunks at @@', () => {
    const [op] = parsePatch(patch('*** Update File: f', ' a', '-b', '@@', '+c', '*** End of File'));
    expect(op?.kind === 'update' && op.hunks.map((h) => ({ header: h.header, lines: h.lines.length, endOfFile: h.endOfFile }))).toEqual([
      { header: undefined, lines: 2, endOfFile: false },
      { header: '@@', lines: 1, endOfFile: true },
    ]);
  });

  it('reads an empty line in a hunk as empty context, and drops blank lines that end a hunk', () => {
    const [op] = parsePatch(patch('*** Update File: f', '@@', ' a', '', '-b', '\\ No newline at end of file', '', '', '@@', '-c'));
    expect(op?.kind === 'update' && op.hunks.map((h) => h.lines)).toEqual([
      [
        { kind: ' ', text: 'a' },
        { kind: ' ', text: '' },
        { kind: '-', text: 'b' },
      ],
      [{ kind: '-', text: 'c' }],
    ]);
  });

  it('takes the anchor after a unified-diff range and none from a bare range', () => {
    const ops = parsePatch(patch('*** Update File: f', '@@ -10,3 +10,4 @@ class Foo:', '-a', '@@ -20 +21 @@', '-b'));
    const hunks = ops[0]?.kind === 'update' ? ops[0].hunks : [];
    expect(hunks.map((h) => h.anchors)).toEqual([['class Foo:'], []]);
  });

  it('tolerates a heredoc wrapper, CRLF, blank edges, padded markers and no final newline', () => {
    const text = `\n\n  <<'EOF'\r\n  *** Begin Patch  \r\n\r\n*** Add File:   x.txt \r\n+hi\r\n\r\n*** End Patch\r\nEOF`;
    expect(parsePatch(text)).toEqual([{ kind: 'add', path: 'x.txt', lines: ['hi'], patchLine: 6 }]);
    expect(parsePatch('apply_patch <<"PATCH"\n*** Begin Patch\n*** Delete File: y\n*** End Patch\nPATCH\n')).toHaveLength(1);
  });

  it('keeps blank lines between the + lines of an added file, but not those after them', () => {
    const [op] = parsePatch(patch('*** Add File: a.md', '+# Title', '', '+text', '', '*** Delete File: b'));
    expect(op).toMatchObject({ kind: 'add', lines: ['# Title', '', 'text'] });
  });

  it('reads @@ lines in a row as anchors of one hunk, found one after the other', () => {
    const [op] = parsePatch(patch('*** Update File: f', '@@ class A:', '@@     def run(self):', '-x'));
    expect(op?.kind === 'update' && op.hunks).toEqual([
      { header: '@@ class A:, @@     def run(self):', anchors: ['class A:', 'def run(self):'], lines: [{ kind: '-', text: 'x' }], endOfFile: false, patchLine: 3 },
    ]);
  });

  it('allows an update with a Move to and no hunks: a pure rename', () => {
    expect(parsePatch(patch('*** Update File: a', '*** Move to: b'))).toEqual([{ kind: 'update', path: 'a', moveTo: 'b', hunks: [], patchLine: 2 }]);
  });
});

describe('parsePatch errors carry the patch line and the valid alternatives', () => {
  it('wants *** Begin Patch first', () => {
    const error = failure('*** Update File: a\n*** End Patch');
    expect(error).toBeInstanceOf(ToolError);
    expect(error.line).toBe(1);
    expect(error.message).toBe(`invalid patch at line 1: the first line is "*** Update File: a". Expected '*** Begin Patch'`);
  });

  it('refuses a patch without *** End Patch, as a cut-off patch looks like that', () => {
    expect(failure('*** Begin Patch\n*** Add File: a\n+x').message).toBe(
      `invalid patch at line 4: the patch ends without '*** End Patch' (was it cut off?). Expected '*** End Patch' as the last line`,
    );
  });

  it('names a line that starts no file operation and lists the operations', () => {
    const error = failure(patch('--- a/f', '+++ b/f'));
    expect(error.line).toBe(2);
    expect(error.expected).toEqual(["'*** Add File: <path>'", "'*** Update File: <path>'", "'*** Delete File: <path>'", "'*** End Patch'"]);
  });

  it('names a stray line inside a hunk and lists what a hunk may hold', () => {
    expect(failure(patch('*** Update File: f', '@@', '-a', 'b')).message).toBe(
      `invalid patch at line 5: "b" is not a hunk line. Expected one of: ' <context line>', '-<removed line>', '+<added line>', '@@', '@@ <anchor line>', '*** End of File'`,
    );
  });

  it('names a line of an added file without its +', () => {
    const error = failure(patch('*** Add File: a', '+x', 'y'));
    expect([error.line, error.expected[0]]).toEqual([4, "'+<line>'"]);
  });

  it('refuses an update without hunks, a header without a path, a hunk without lines and an empty patch', () => {
    expect(failure(patch('*** Update File: f')).message).toContain(`line 2: '*** Update File: f' has no hunks`);
    expect(failure(patch('*** Delete File:   ')).message).toContain(`line 2: '*** Delete File:' has no path after it`);
    expect(failure(patch('*** Update File: f', '@@ x', '*** Delete File: g')).message).toContain('line 3: the hunk "@@ x" has no lines');
    expect(failure(patch()).message).toContain('line 2: the patch changes no file');
    expect(failure('').message).toContain('line 1: the patch is empty');
  });

  it('refuses *** End Patch in the middle of a patch', () => {
    expect(failure(patch('*** Delete File: a', '*** End Patch', '*** Delete File: b')).message).toContain(
      `line 3: '*** End Patch' comes before the end of the patch`,
    );
  });

  it('numbers lines as sent, heredoc and leading blank lines included', () => {
    expect(failure(`\n<<EOF\n*** Begin Patch\n*** Update File: f\n@@\nbad\n*** End Patch\nEOF`).line).toBe(6);
  });
});

describe('patchPaths', () => {
  it('lists each path once, Move to targets included', () => {
    expect(patchPaths(patch('*** Update File: a', '*** Move to: b', '@@', '-x', '*** Add File: a', '+y', '*** Delete File: c'))).toEqual(['a', 'b', 'c']);
  });

  it('is undefined for a patch that does not parse', () => {
    expect(patchPaths('*** Begin Patch\n*** Add File: a')).toBeUndefined();
  });
});
