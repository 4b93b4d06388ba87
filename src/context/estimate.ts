// Estimating a request's prompt tokens before sending it, calibrated on what the server reported for
// the last request: limits are enforced before spending, but the server's usage stays the truth.
import type { ChatMessage } from '../model/types.js';

const DEFAULT_BYTES_PER_TOKEN = 3.5; // a fair start for code and English; calibrated after one request

// An image costs the model a few thousand tokens, not its base64 size: it is counted as this many bytes.
const IMAGE_BYTES = 'x'.repeat(12_000);

const sized = (key: string, value: unknown): unknown => (key === 'url' && typeof value === 'string' && value.startsWith('data:') ? IMAGE_BYTES : value);

/** Bytes of the prompt as it goes on the wire (messages and tools serialised as JSON), images at a fixed size. */
export function promptBytes(messages: readonly ChatMessage[], tools: readonly unknown[]): number {
  return Buffer.byteLength(JSON.stringify(tools)) + Buffer.byteLength(JSON.stringify(messages, sized));
}

/** One message's share of promptBytes: summed with the array's brackets and commas, it is the same number. */
export function messageBytes(message: ChatMessage): number {
  return Buffer.byteLength(JSON.stringify(message, sized));
}

/** promptBytes from the parts: the tools' bytes, and the messages' count and summed messageBytes. */
export function joinedPromptBytes(toolBytes: number, count: number, messagesBytes: number): number {
  return toolBytes + messagesBytes + 2 + Math.max(0, count - 1); // "[" "]" and the commas
}

export class TokenEstimator {
  private bytesPerToken = DEFAULT_BYTES_PER_TOKEN;

  /** Learn from a request the server counted. */
  observe(bytes: number, promptTokens: number): void {
    if (promptTokens > 0 && bytes > 0) this.bytesPerToken = bytes / promptTokens;
  }

  /** Estimated prompt tokens for a prompt of `bytes` bytes. */
  estimate(bytes: number): number {
    return Math.ceil(bytes / this.bytesPerToken);
  }
}
