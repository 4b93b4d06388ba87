// The YAML block after a TAP result (`---` ... `...`, indented under the result). Only what a
// failure summary needs is understood: plain and quoted scalars, block scalars (`|`, `|-`, `>`), and
// one level of nested mapping (node-tap's `at:` with `fileName`/`lineNumber`), flattened to `at.fileName`.

/** Read the block starting at `lines[start]`; `next` is the first line after it (or `start` when there is none). */
export function readYamlBlock(lines: string[], start: number, indent: number): { yaml: Record<string, string>; next: number } {
  const yaml: Record<string, string> = {};
  if ((lines[start] ?? '').trim() !== '---') return { yaml, next: start };
  // Keys sit two past the result (node, node-tap) or two past the `---` (tape): take the first key's.
  const first = lines.slice(start + 1).find((l) => l.trim() !== '');
  const pad = Math.max(indent + 2, first ? first.length - first.trimStart().length : 0);
  let i = start + 1;
  while (i < lines.length && !isEnd(lines[i] ?? '', pad)) {
    const line = lines[i] ?? '';
    const entry = /^\s*([\w.-]+):\s?(.*)$/.exec(line);
    i++;
    if (!entry || indentOf(line, pad) !== pad) continue;
    const [, key = '', value = ''] = entry;
    if (/^[|>][-+]?$/.test(value.trim())) {
      const block: string[] = [];
      while (i < lines.length && !isEnd(lines[i] ?? '', pad) && indentOf(lines[i] ?? '', pad) > pad) block.push((lines[i++] ?? '').slice(pad + 2));
      yaml[key] = block.join('\n').replace(/\s+$/, '');
    } else if (value.trim() === '') {
      // A nested mapping (or a list): its `key: value` lines become `parent.key`.
      while (i < lines.length && !isEnd(lines[i] ?? '', pad) && indentOf(lines[i] ?? '', pad) > pad) {
        const nested = /^\s*([\w.-]+):\s?(.*)$/.exec(lines[i++] ?? '');
        if (nested) yaml[`${key}.${nested[1] ?? ''}`] = scalar(nested[2] ?? '');
      }
    } else yaml[key] = scalar(value);
  }
  return { yaml, next: i + 1 };
}

function isEnd(line: string, pad: number): boolean {
  return line.trim() === '...' && line.length - line.trimStart().length <= pad;
}

/** Indentation of a line; blank lines count as belonging to the block being read. */
function indentOf(line: string, pad: number): number {
  return line.trim() === '' ? pad + 2 : line.length - line.trimStart().length;
}

function scalar(value: string): string {
  const v = value.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}
