// GitHub Actions workflow commands for a job log: a collapsible group per turn and annotations for
// failures and limit warnings. Messages are escaped as the runner expects, so text from the model
// or the repository can never end a command early or start another on a new line.

/** Escape a message (the data part of a command). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escape a property value (`title=`), which also must not contain `:` or `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** Whether this process runs as a GitHub Actions step. */
export function inGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Writes workflow commands to a stream; a group is closed before the next one opens. */
export class GithubCommands {
  private open = false;

  constructor(private readonly out: NodeJS.WritableStream) {}

  group(title: string): void {
    this.endGroup();
    this.out.write(`::group::${escapeData(title)}\n`);
    this.open = true;
  }

  endGroup(): void {
    if (!this.open) return;
    this.out.write('::endgroup::\n');
    this.open = false;
  }

  error(message: string, title = 'sprout'): void {
    this.out.write(`::error title=${escapeProperty(title)}::${escapeData(message)}\n`);
  }

  warning(message: string, title = 'sprout'): void {
    this.out.write(`::warning title=${escapeProperty(title)}::${escapeData(message)}\n`);
  }
}
