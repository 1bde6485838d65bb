// The completion scripts for bash, zsh and fish: each asks `kcli __complete -- <words>` what comes next, so the rules
// live in one place (complete.ts). The answer is one candidate a line, or `:files` for the shell's own file completion.

export const shells = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof shells)[number]

export function completionScript(shell: Shell, bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`
  switch (shell) {
    case 'bash':
      return `# ${bin} completion for bash: add to ~/.bashrc
#   eval "$(${bin} autocomplete bash)"
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out IFS=$'\\n'
  out=$(${bin} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ "$out" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  # One candidate a line, already filtered by the prefix; never through compgen -W, which would expand $(...) in a name.
  COMPREPLY=()
  [[ -n "$out" ]] && mapfile -t COMPREPLY <<<"$out"
}
complete -o default -F ${fn} ${bin}
`
    case 'zsh':
      return `#compdef ${bin}
# ${bin} completion for zsh: add to ~/.zshrc (after compinit)
#   eval "$(${bin} autocomplete zsh)"
${fn}() {
  local out
  out=$(${bin} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)
  if [[ "$out" == ":files" ]]; then
    _files
    return
  fi
  local -a candidates
  candidates=("\${(@f)out}")
  compadd -- \${candidates:#}
}
compdef ${fn} ${bin}
`
    case 'fish':
      return `# ${bin} completion for fish: save as ~/.config/fish/completions/${bin}.fish
#   ${bin} autocomplete fish > ~/.config/fish/completions/${bin}.fish
function ${fn}
    set -l words (commandline -opc) (commandline -ct)
    set -l out (${bin} __complete -- $words[2..-1] 2>/dev/null)
    if test "$out" = ":files"
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c ${bin} -f -a '(${fn})'
`
  }
}
