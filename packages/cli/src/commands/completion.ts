import type { Command } from "commander";
import type { CliIo } from "../context";
import { EXIT, type ExitCode } from "../exit-codes";

/** One command path's completions: its subcommands and its long options. */
export interface CompletionEntry {
  path: string;
  words: string[];
}

/** Every command path of the program with what may follow it (subcommand names, then options). Pure. */
export function completionEntries(program: Command): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const walk = (command: Command, path: string[]) => {
    const subcommands = command.commands.map((c) => c.name());
    const options = command.options.map((o) => o.long).filter((o): o is string => o !== undefined);
    entries.push({ path: path.join(" "), words: [...subcommands, ...options, ...(options.length ? ["--help"] : [])] });
    for (const child of command.commands) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return entries;
}

/**
 * A bash completion script: the words before the cursor that name subcommands select an entry (arguments
 * and options in between are skipped); zsh loads the same script through bashcompinit.
 */
export function bashCompletion(program: Command): string {
  const entries = completionEntries(program);
  const cases = entries.map((e) => `    "${e.path}") words="${e.words.join(" ")}" ;;`).join("\n");
  const paths = entries.map((e) => e.path).filter(Boolean);
  return `# edgeserve completion (bash): source <(edgeserve completion bash)
_edgeserve_complete() {
  local cur path="" next words="" i
  local paths="|${paths.join("|")}|"
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="\${path:+$path }\${COMP_WORDS[i]}"
    [[ "$paths" == *"|$next|"* ]] && path="$next"
  done
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _edgeserve_complete edgeserve
`;
}

export function zshCompletion(program: Command): string {
  return `# edgeserve completion (zsh): source <(edgeserve completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).split("\n").slice(1).join("\n")}`;
}

/** `edgeserve completion bash|zsh`: prints the script to source. */
export function completionCommand(io: CliIo, program: Command, setExit: (code: ExitCode) => void): Command {
  const command = program
    .command("completion")
    .description("print a shell completion script: source <(edgeserve completion bash)")
    .addArgument(program.createArgument("SHELL", "bash or zsh").choices(["bash", "zsh"]))
    .action((shell: string) => {
      io.stdout.write(shell === "zsh" ? zshCompletion(program) : bashCompletion(program));
      setExit(EXIT.OK);
    });
  return command;
}
