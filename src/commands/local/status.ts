// `kcli local status`: is the local cluster running, where, and which Kafka.
import {Flags} from '@oclif/core'

import {KcliCommand} from '../../lib/command/kcli-command.js'
import {listenerHelp} from '../../lib/local/listeners.js'
import {ClusterStatus, localClusterStatus} from '../../lib/local/status.js'
import {registryHelp} from '../../lib/local/registry.js'

export default class LocalStatus extends KcliCommand {
  static override summary = 'Show whether the local Kafka cluster is running, its bootstrap address and nodes.'
  static override description = `Like \`systemctl is-active\`, the exit code answers the question, which makes it handy in scripts: 0 when every node of the cluster is running; 1 when it is stopped, only partly running (a node or the schema registry is down), or was never started. --json has "registry": {"url", "port", "pid", "running", "logFile"}, or null without one. A pid is trusted only if that process is still this node's Kafka, so a stale state file never reads as running.

Exit codes: 0 running; 1 not running; 2 an invalid flag.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> >/dev/null || <%= config.bin %> local start',
  ]

  static override enableJsonFlag = true

  static override flags = {
    'state-dir': Flags.string({summary: "Where the cluster's state, data and logs live. [env: KCLI_STATE_DIR]"}),
  }

  async run(): Promise<ClusterStatus> {
    const {flags} = await this.parse(LocalStatus)
    const status = await localClusterStatus({stateDir: flags['state-dir']})
    this.log(renderStatus(status))
    if (!status.running) process.exitCode = 1
    return status
  }
}

export function renderStatus(status: ClusterStatus): string {
  if (status.state === 'absent') return `not running (no cluster in ${status.stateDir})`
  const lines = [
    `${status.state === 'partial' ? 'partly running' : status.state}  ${status.bootstrap}`,
    `kafka    ${status.kafkaVersion} (${status.kafkaLibDir})`,
    ...status.nodes.map(
      (n) => `node ${n.id}   port ${n.port}  controller ${n.controllerPort}  ${n.running ? `pid ${n.pid}` : 'stopped'}`,
    ),
    `state    ${status.stateDir}`,
  ]
  if (status.registry !== null)
    lines.push(`registry ${status.registry.url}  ${status.registry.running ? `pid ${status.registry.pid}` : 'stopped'}`)
  if (status.startedAt !== null) lines.push(`started  ${status.startedAt}`)
  lines.push(...listenerHelp(status.listeners))
  if (status.registry !== null) lines.push(registryHelp(status.registry))
  return lines.join('\n')
}
