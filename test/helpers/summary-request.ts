// Telling a compaction's summary request from a turn, at the fake server: it either continues the
// cached conversation (tool_choice "none") or is a separate transcript with no tools.
import type { RecordedRequest } from '../fake-server/index.js';

export const isSummaryRequest = (req: RecordedRequest): boolean =>
  req.body.tool_choice === 'none' || (!req.body.tools && String(req.body.messages?.[0]?.content).includes('summarise'));
