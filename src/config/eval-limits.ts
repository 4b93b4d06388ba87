// Limits of `sprout eval`'s grading step.
export const EVAL_TEST_TIMEOUT_MS = 15 * 60_000; // one instance's test_cmd during grading
export const EVAL_TEST_OUTPUT_BYTES = 4 * 1024 * 1024; // of its console log kept to read test statuses from
