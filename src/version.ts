// sprout's version, read once from its package.json.
import { packageVersion } from '../sandbox/package-root.js';

/** The running sprout's version. */
export const VERSION = packageVersion();
