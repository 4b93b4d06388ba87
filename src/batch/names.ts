// Names that end up in branch names and file names: task ids and the batch name. One rule for both,
// so that `sprout/<batch>/<id>` is always a valid git ref and `<id>.patch` a plain file name.

/** What a task id or batch name may look like (checked with SAFE_NAME_RULE for messages). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The rule, worded for error messages. */
export const SAFE_NAME_RULE =
  "1-100 letters, digits, '.', '_' or '-', starting with a letter or digit, no '..' and not ending in '.' or '.lock' (it names a git branch and files)";

/** Whether `name` can be used as a task id or batch name. */
export function isSafeName(name: string): boolean {
  // git refuses ".." anywhere, and a component ending in "." or ".lock".
  return SAFE_NAME.test(name) && !name.includes('..') && !name.endsWith('.') && !name.endsWith('.lock');
}

/** Turn any text (a directory or file name) into a safe name, or undefined when nothing is left. */
export function toSafeName(text: string): string | undefined {
  let name = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  // Trailing separators and ".lock" go, as often as they appear (a-.lock- -> a).
  for (let before = ''; before !== name; ) {
    before = name;
    name = name.replace(/[-._]+$/, '').replace(/\.lock$/, '');
  }
  return isSafeName(name) ? name : undefined;
}
