// Small readers for script step functions and assertions: what the model was sent last.

import type { RecordedRequest } from './types.js';

/** The text of a message `content`: a string as is, text parts joined, anything else as JSON. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: unknown }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return JSON.stringify(content);
}

/** The tool messages of the last run of consecutive tool messages in the request, in order. */
export function toolResults(req: RecordedRequest): Array<{ tool_call_id: string; content: string }> {
  const messages = req.body.messages ?? [];
  let end = messages.length;
  while (end > 0 && messages[end - 1]?.role !== 'tool') end--;
  let start = end;
  while (start > 0 && messages[start - 1]?.role === 'tool') start--;
  return messages.slice(start, end).map((m) => ({ tool_call_id: String(m.tool_call_id), content: contentText(m.content) }));
}

/** The text of the last user message, or undefined when there is none. */
export function lastUserMessage(req: RecordedRequest): string | undefined {
  const messages = req.body.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') return contentText(messages[i]!.content);
  }
  return undefined;
}
