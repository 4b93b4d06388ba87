// Completing and writing the proof of a fix: the patch's sha256 (of the very bytes --patch-out
// wrote, or of the same diff when no patch file was asked for), then --evidence-out.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunResult } from '../agent/events.js';
import type { GitDoor } from '../../sandbox/git.js';
import { diffSince } from './git-outputs.js';

export interface EvidenceRequest {
  evidenceOut?: string;
  door: GitDoor;
  start: string | undefined;
}

/** Add the patch hash to the result's evidence and write it where asked; a result without evidence is left as it is. */
export async function finishEvidence(out: RunResult, request: EvidenceRequest): Promise<void> {
  if (!out.evidence) return;
  const patch = out.patch_file ? await readFile(out.patch_file) : Buffer.from(await diffSince(request.door, request.start));
  out.evidence = { ...out.evidence, patch_sha256: createHash('sha256').update(patch).digest('hex') };
  if (request.evidenceOut) {
    out.evidence_file = resolve(request.evidenceOut);
    await writeFile(out.evidence_file, `${JSON.stringify(out.evidence, null, 2)}\n`);
  }
}
