// A block of lines redrawn in place below the normal output, with a spinner on the first (ora).
// Writes to the stream while it shows are moved above it by ora; clearing it leaves nothing behind.
// ora loads when a live view is made (only on a terminal); until it has, the latest lines wait.
import type { Ora } from 'ora';
import { fit } from './format.js';

export class LiveLines {
  private spinner: Ora | undefined;
  private waiting: string[] = [];

  constructor(
    out: NodeJS.WritableStream,
    private readonly columns: () => number | undefined,
  ) {
    import('ora').then(
      ({ default: ora }) => {
        // Stdin may carry a task ('-'): ora must not switch it to raw mode or swallow it.
        this.spinner = ora({ stream: out as NodeJS.WriteStream, isEnabled: true, discardStdin: false, hideCursor: true });
        this.show(this.waiting);
      },
      () => undefined, // no spinner: the plain lines above it are the whole output
    );
  }

  /** Show these lines (cut to the terminal's width), or with none, clear the block. */
  show(lines: string[]): void {
    if (!this.spinner) {
      this.waiting = lines;
      return;
    }
    if (lines.length === 0) {
      if (this.spinner.isSpinning) this.spinner.stop();
      return;
    }
    const width = Math.max(20, (this.columns() ?? 80) - 3); // the spinner frame and a space come first
    this.spinner.text = lines.map((l) => fit(l, width)).join('\n');
    if (!this.spinner.isSpinning) this.spinner.start();
  }
}
