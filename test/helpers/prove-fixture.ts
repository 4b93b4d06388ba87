// A small Node project with a real bug for proof tests: add() subtracts, sub() is right and has a
// passing test, and nothing tests add() yet — the model must leave the reproduction.
export const ADD_SUB_PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', type: 'module', scripts: { test: 'node --test' } }, null, 2),
  'math.js': 'export function add(a, b) {\n  return a - b;\n}\n\nexport function sub(a, b) {\n  return a - b;\n}\n',
  'test/sub.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sub } from '../math.js';\n\n" +
    "test('sub subtracts', () => {\n  assert.equal(sub(5, 3), 2);\n});\n",
  'issue.md': '# add() is broken\n\nadd(2, 3) returns -1 instead of 5.\n',
};

/** A node:test file with one test named `name` asserting `assertion`. */
export function testFile(name: string, assertion: string, imports = 'add'): string {
  return (
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n" +
    `import { ${imports} } from '../math.js';\n\ntest('${name}', () => {\n  ${assertion};\n});\n`
  );
}

export const writeFileCall = (path: string, content: string) => ({ toolCalls: [{ name: 'write_file', arguments: { path, content } }] });
export const editCall = (path: string, from: string, to: string) => ({ toolCalls: [{ name: 'edit_file', arguments: { path, old_string: from, new_string: to } }] });
