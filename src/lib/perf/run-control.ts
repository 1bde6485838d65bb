// What every perf run shares around its work: a live line on a terminal, and Ctrl-C / SIGTERM handling — the first
// stops the run so its partial report is printed (exit 130), the second exits at once.
import type {KafkaConsumer, Producer} from '@confluentinc/kafka-javascript'

import {ExitCode} from '../errors.js'
import {startProgress} from '../terminal/progress.js'
import {watchInterrupts} from '../terminal/signals.js'

/** Registers a client to be closed when the command ends (KafkaCommand.track). */
export type TrackClient = (client: Producer | KafkaConsumer) => void

export interface RunControl {
  /** Set by the first signal: stop sending or reading, and report. */
  stopped: boolean
  interrupted: boolean
}

export async function controlledRun<T>(liveText: () => string, body: (control: RunControl) => Promise<T>): Promise<T> {
  const control: RunControl = {stopped: false, interrupted: false}
  const interrupts = watchInterrupts(
    () => {
      control.stopped = true
      control.interrupted = true
    },
    () => {
      process.stderr.write('kcli: interrupted again: exiting now, without a report\n')
      process.exit(ExitCode.interrupted)
    },
  )
  const progress = await startProgress(liveText, {quiet: false})
  try {
    return await body(control)
  } finally {
    progress.stop()
    interrupts.dispose()
  }
}
