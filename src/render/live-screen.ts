// The live part of the terminal view: a spinner line with the current phase and its elapsed time,
// plus one line per running tool call. Permanent lines are written to the stream as
// usual; ora clears the live lines before such a write and redraws them below it.
import { LIVE_REFRESH_MS } from '../config/display.js';
import { formatMs } from './format.js';
import { LiveLines } from './live-lines.js';

interface Running {
  label: string;
  since: number;
}

/** What is going on right now, redrawn in place until nothing is. */
export class LiveScreen {
  private readonly lines: LiveLines;
  private phase: { text: string; since: number } | undefined;
  private readonly tools = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    columns: () => number | undefined,
  ) {
    this.lines = new LiveLines(out, columns);
  }

  /** Set (or with undefined, end) the phase; `since` keeps the clock of a phase that only changed name. */
  setPhase(text: string | undefined, since = Date.now()): void {
    this.phase = text === undefined ? undefined : { text, since };
    this.refresh();
  }

  /** When the current phase began, to carry a turn's clock across phase names. */
  phaseSince(): number | undefined {
    return this.phase?.since;
  }

  toolStarted(id: string, label: string): void {
    this.tools.set(id, { label, since: Date.now() });
    this.refresh();
  }

  toolEnded(id: string): void {
    this.tools.delete(id);
    this.refresh();
  }

  /** A permanent line; the live lines move below it. */
  print(text: string): void {
    this.out.write(`${text}\n`);
  }

  /** Streamed text, as it comes. */
  write(text: string): void {
    this.out.write(text);
  }

  /** Clear the live lines for good. */
  stop(): void {
    this.phase = undefined;
    this.tools.clear();
    this.refresh();
  }

  private refresh(): void {
    const lines = this.text();
    this.lines.show(lines);
    if (lines.length === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
    } else if (!this.timer) {
      // The elapsed times change between events too.
      this.timer = setInterval(() => this.lines.show(this.text()), LIVE_REFRESH_MS);
      this.timer.unref();
    }
  }

  private text(): string[] {
    const now = Date.now();
    const lines: string[] = [];
    if (this.phase) lines.push(`${this.phase.text} · ${formatMs(now - this.phase.since)}`);
    else if (this.tools.size > 0) lines.push(`running ${this.tools.size} tool call${this.tools.size === 1 ? '' : 's'}`);
    for (const tool of this.tools.values()) lines.push(`  ▸ ${tool.label} · ${formatMs(now - tool.since)}`);
    return lines;
  }
}
