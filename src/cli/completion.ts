// `sprout completion bash|zsh|fish`: a shell completion script generated from the command tree
// itself, so that it always lists the commands, options and option values this version has.
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Spec {
  /** `run`, `sessions show`; '' for the top level. */
  path: string;
  subcommands: string[];
  options: Array<{ flag: string; takesValue: boolean; choices: string[]; description: string }>;
}

function specs(command: Command, prefix = ''): Spec[] {
  const here: Spec = {
    path: prefix,
    subcommands: command.commands.map((c) => c.name()),
    options: (command.options as Option[]).filter((o) => o.long).map((o) => ({
      flag: o.long!, takesValue: o.required || o.optional, choices: o.argChoices ?? [], description: o.description,
    })),
  };
  if (prefix === '') here.options.push({ flag: '--help', takesValue: false, choices: [], description: 'show help' });
  return [here, ...command.commands.flatMap((c) => specs(c, prefix ? `${prefix} ${c.name()}` : c.name()))];
}

const words = (list: string[]): string => list.join(' ');

function bash(all: Spec[]): string {
  const values = all.flatMap((s) => s.options.filter((o) => o.choices.length > 0).map((o) => `    "${s.path}:${o.flag}") COMPREPLY=($(compgen -W "${words(o.choices)}" -- "$cur")); return ;;`));
  const lists = all.map((s) => `    "${s.path}") COMPREPLY=($(compgen -W "${words([...s.subcommands, ...s.options.map((o) => o.flag)])}" -- "$cur")) ;;`);
  const known = all.filter((s) => s.path !== '').map((s) => s.path.split(' ').at(-1)!);
  return `# sprout completion for bash: source it, or save it to /etc/bash_completion.d/sprout
_sprout() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case " ${words([...new Set(known)])} " in *" $word "*) path="\${path:+$path }$word" ;; esac
  done
  case "$path:$prev" in
${values.join('\n')}
  esac
  case "$path" in
${lists.join('\n')}
  esac
}
complete -o default -F _sprout sprout
`;
}

function fish(all: Spec[]): string {
  const lines = ['# sprout completion for fish: save it as ~/.config/fish/completions/sprout.fish', 'complete -c sprout -f'];
  const quote = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  for (const spec of all) {
    const parts = spec.path === '' ? [] : spec.path.split(' ');
    const condition = parts.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${parts.at(-1)}`;
    for (const sub of spec.subcommands) lines.push(`complete -c sprout -n ${quote(condition)} -a ${sub}`);
    for (const o of spec.options) {
      const value = o.choices.length > 0 ? ` -x -a ${quote(words(o.choices))}` : o.takesValue ? ' -r' : '';
      lines.push(`complete -c sprout -n ${quote(condition)} -l ${o.flag.slice(2)}${value} -d ${quote(o.description.slice(0, 60))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, program: Command): string {
  const all = specs(program);
  if (shell === 'fish') return fish(all);
  if (shell === 'zsh') return `# sprout completion for zsh: source it from ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\n${bash(all)}`;
  return bash(all);
}
