// A live count for people on a terminal (stderr); nothing at all when stderr is not a terminal or -q is given.
import {errColours, isInteractive} from './output.js'

export interface Progress {
  stop(): void
}

export async function startProgress(text: () => string, options: {quiet: boolean}): Promise<Progress> {
  // A terminal that reports no width (some pseudo-terminals) sends ora's redraw into a loop: no spinner there.
  if (options.quiet || !isInteractive() || !(process.stderr.columns > 0)) return {stop() {}}
  const {default: ora} = await import('ora')
  // chalk's detection inside ora does not read NO_COLOR: kcli's own decision does.
  const color = errColours().level > 0 ? 'cyan' : false
  const spinner = ora({text: text(), stream: process.stderr, discardStdin: false, color}).start()
  const timer = setInterval(() => (spinner.text = text()), 200)
  return {
    stop() {
      clearInterval(timer)
      spinner.stop()
    },
  }
}
