// An in-process scripted ModelClient for loop tests: plays fixed turns, records every request, and
// fails on a request beyond the script or a step left unused.
import type { ModelClient, ModelRequest } from '../../src/model/client.js';
import type { AssistantTurn, ChatMessage, TurnDelta } from '../../src/model/types.js';

export type ScriptedModelTurn = Partial<AssistantTurn>;

export interface ScriptedModel extends ModelClient {
  /** Deep copies of the messages of every request. */
  requests: ChatMessage[][];
  /** max_tokens of every request. */
  maxTokens: number[];
  assertDone(): void;
}

export function scriptedModel(turns: ScriptedModelTurn[], options: { repeatLast?: boolean } = {}): ScriptedModel {
  const requests: ChatMessage[][] = [];
  const maxTokens: number[] = [];
  let next = 0;
  async function* streamTurn(request: ModelRequest): AsyncGenerator<TurnDelta, AssistantTurn> {
    requests.push(structuredClone(request.messages) as ChatMessage[]);
    maxTokens.push(request.maxTokens);
    const step = next < turns.length ? turns[next++] : options.repeatLast ? turns.at(-1) : undefined;
    if (!step) throw new Error(`scripted model: unexpected request #${requests.length}`);
    if (step.content) yield { kind: 'text', text: step.content };
    const toolCalls = step.toolCalls ?? [];
    return {
      content: step.content ?? '',
      reasoning: step.reasoning ?? '',
      toolCalls,
      finishReason: step.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage: step.usage ?? { promptTokens: 100, cachedTokens: 0, completionTokens: 10, reasoningTokens: 0 },
      model: 'scripted',
    };
  }
  return {
    model: 'scripted',
    requests,
    maxTokens,
    streamTurn,
    assertDone() {
      if (!options.repeatLast && next < turns.length) throw new Error(`scripted model: ${turns.length - next} steps unused`);
    },
  };
}
