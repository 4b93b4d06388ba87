// The built-in tool set and its wire form. Tools are sent sorted by name and serialised the same way
// every time, so the request prefix stays byte-identical and the provider's prefix cache stays warm.
import { z } from 'zod';
import type { Tool } from './define-tool.js';
import { applyPatch } from './apply-patch/index.js';
import { editFile } from './edit-file.js';
import { git } from './git.js';
import { glob } from './glob.js';
import { grep } from './grep.js';
import { insertLines } from './insert-lines.js';
import { listDir } from './list-dir.js';
import { readFile } from './read-file.js';
import { runTests } from './run-tests/index.js';
import { shell } from './shell.js';
import { undoEdit } from './undo-edit.js';
import { screenshotTool } from './screenshot/index.js';
import { viewImage } from './view-image.js';
import { writeFile } from './write-file.js';

/** A tool as the chat-completions API takes it. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The tools every run gets. */
export function builtinTools(): Tool[] {
  return [readFile, listDir, glob, grep, writeFile, editFile, insertLines, applyPatch, undoEdit, git, runTests, shell] as unknown as Tool[];
}

/** Tools only a model that takes images gets; `screenshot` only where a Chromium was found. */
export function visionTools(options: { chromiumPath?: string } = {}): Tool[] {
  return [viewImage as unknown as Tool, ...(options.chromiumPath ? [screenshotTool(options.chromiumPath)] : [])];
}

/** The JSON schema the model sees for a tool's arguments (input side: defaulted fields are optional). */
export function toolJsonSchema(tool: Tool): Record<string, unknown> {
  if (tool.inputSchema) return tool.inputSchema;
  const { $schema: _dropped, ...schema } = z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<string, unknown>;
  return withoutSafeIntegerBounds(schema) as Record<string, unknown>;
}

/**
 * zod writes an unbounded `.int()` as maximum 2^53-1; that bound says nothing to the model and is
 * paid for on every request, so it is left out (validation still applies it).
 */
function withoutSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSafeIntegerBounds);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key] = withoutSafeIntegerBounds(value);
  }
  return out;
}

/** Tool specs for a request, sorted by name; throws on a duplicate name, a programming error. */
export function toToolSpecs(tools: readonly Tool[]): ToolSpec[] {
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw new Error(`two tools are named ${tool.name}`);
    names.add(tool.name);
  }
  return [...tools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: toolJsonSchema(tool) },
    }));
}
