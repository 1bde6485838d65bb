// `kcli local stop`: shut down the local cluster started by `kcli local start`, keeping its data.
import {Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {defaultStopSeconds, stopLocalCluster} from '../../lib/local/stop.js'
import {formatDuration, requireDuration} from '../../lib/time/duration.js'

export default class LocalStop extends KcliCommand {
  static override summary = 'Stop the local Kafka cluster, keeping its data for the next start.'
  static override description = `Sends SIGTERM to every node at once and waits for them to shut down; nodes still running after --timeout (30s by default) are killed (SIGKILL), which is reported. The schema registry of --schema-registry is stopped too. Stopping when nothing runs is not an error. Messages go to stderr; stdout stays empty.

Exit codes: 0 stopped or nothing was running; 2 an invalid flag.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --state-dir /tmp/kafka-test --timeout 10s',
  ]

  static override flags = {
    'state-dir': Flags.string({summary: "Where the cluster's state, data and logs live. [env: KCLI_STATE_DIR]"}),
    timeout: Flags.string({
      summary: `How long all nodes together get to shut down before they are killed, e.g. 30s, 2m [default: ${defaultStopSeconds}s]`,
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStop)
    const timeoutMs =
      flags.timeout === undefined ? defaultStopSeconds * 1000 : requireDuration(flags.timeout, '--timeout')
    const result = await stopLocalCluster({stateDir: flags['state-dir'], timeoutSeconds: timeoutMs / 1000})
    if (!result.wasRunning) {
      this.logToStderr(`no local cluster is running (state dir ${result.stateDir})`)
      return
    }
    const seconds = (result.elapsedMs / 1000).toFixed(1)
    const total = result.stopped.length + result.killed.length
    if (result.registry === 'killed') this.logToStderr('killed the schema registry without a clean shutdown')
    else if (result.registry === 'stopped') this.logToStderr('stopped the schema registry')
    if (result.killed.length === 0) {
      this.logToStderr(`stopped ${total} broker${total === 1 ? '' : 's'} in ${seconds}s`)
    } else {
      this.logToStderr(
        `killed node${result.killed.length === 1 ? '' : 's'} ${result.killed.join(', ')} after ${formatDuration(timeoutMs)} without a clean shutdown; stopped ${result.stopped.length} cleanly`,
      )
    }
  }
}
