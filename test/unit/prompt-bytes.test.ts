// The conversation keeps its prompt size as it grows instead of re-serialising every message on
// every turn; the number must stay exactly what a full serialisation gives, or budgets and the
// compaction threshold would drift.
import { describe, expect, it } from 'vitest';
import { Conversation } from '../../src/agent/conversation.js';
import { promptBytes } from '../../src/context/estimate.js';
import type { ChatMessage } from '../../src/model/types.js';

const tools = [{ type: 'function', function: { name: 'shell', description: 'Run a command', parameters: { type: 'object' } } }];
const toolBytes = Buffer.byteLength(JSON.stringify(tools));

describe('Conversation.promptBytes', () => {
  it('equals promptBytes of the whole history after appends, a compaction and images', () => {
    const conversation = new Conversation([{ role: 'system', content: 'sys ünïcode' }]);
    expect(conversation.promptBytes(toolBytes)).toBe(promptBytes(conversation.messages, tools));
    const added: ChatMessage[] = [
      { role: 'user', content: 'fix it' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'shell', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'a\nb "quoted" \u2014 dash' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(50_000)}` } }] } as ChatMessage,
    ];
    for (const message of added) {
      [...conversation.append(message)];
      expect(conversation.promptBytes(toolBytes)).toBe(promptBytes(conversation.messages, tools));
    }
    conversation.replace([{ role: 'system', content: 'sys' }, { role: 'user', content: 'summary' }]);
    expect(conversation.promptBytes(toolBytes)).toBe(promptBytes(conversation.messages, tools));
    conversation.replace([]);
    expect(conversation.promptBytes(toolBytes)).toBe(promptBytes([], tools));
  });
});
