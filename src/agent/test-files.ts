// Which changed paths are tests: the proof runs the base commit with only these taken from the
// model's tree, so the naming conventions of the common runners decide (a test folder, or a
// test/spec file name of JS/TS, Python, Go, Ruby or Rust).
const TEST_DIR = /(^|\/)(test|tests|__tests__|spec|specs)\//;
const TEST_NAME = [
  /\.(test|spec)\.[cm]?[jt]sx?$/, // vitest, jest, mocha, node --test
  /(^|\/)test_[^/]*\.py$/, // pytest
  /_test\.(py|go)$/,
  /(^|\/)conftest\.py$/,
  /_spec\.rb$/,
];

/** True when `path` (relative, with /) is a test file or lies in a test folder. */
export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_NAME.some((re) => re.test(path));
}
