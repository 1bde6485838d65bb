// `kcli perf e2e`: one producer and one consumer in the same run; latency from send to the consumer having it.
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {producerProperties} from '../../lib/produce/producer-settings.js'
import {runPerfE2e} from '../../lib/perf/e2e.js'
import {boundFlags, createSpec, exitHelp, reportHelp, requireTopic, sendFlags, topicFlag} from '../../lib/perf/flags.js'
import {stampBytes} from '../../lib/perf/payload.js'
import {resolvePlan} from '../../lib/perf/plan.js'
import {type PerfReport, perfExitCode, renderReport} from '../../lib/perf/report.js'

export default class PerfE2e extends KafkaCommand {
  static override summary = 'Measure end-to-end latency: from send to the consumer having the message.'
  static override description = `Produces at --rate messages per second (default 1000) for --duration (default 10s) or --count messages, and consumes them in the same process with a consumer assigned to the end of every partition (no group). Each value starts with a ${stampBytes}-byte stamp: this run's id, a sequence number and the message's intended send time from a monotonic clock with sub-microsecond resolution (a Kafka timestamp has only milliseconds). The latency runs from that intended time — so a stall of the sender counts (no coordinated omission) — to the moment the consumer's batch with the message reaches JavaScript: the write, replication, the fetch and the client library, all included.

Messages of other producers in the topic are ignored. After the last delivery the consumer gets up to 10 s to read back what was delivered; a message delivered but not read back fails the run (exit 1). linger.ms defaults to 0 here (each message goes at once, as Kafka's EndToEndLatency sends them); other delivery flags and defaults are those of \`kcli produce\`.

${reportHelp}

${exitHelp}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -t latency --rate 1000 --duration 30s',
    '<%= config.bin %> <%= command.id %> -t latency --create -p 3 --count 5000 --acks 1 --json',
  ]

  static override flags = {...topicFlag, ...boundFlags, ...sendFlags({rate: '1000', lingerMs: 0})}
  static override enableJsonFlag = true

  async run(): Promise<PerfReport> {
    const {flags} = await this.parse(PerfE2e)
    const plan = resolvePlan(flags, {
      rate: 1000,
      durationMs: 10_000,
      size: 100,
      minSize: stampBytes,
      minSizeReason: 'the send time and a sequence number travel in the value',
    })
    const create = createSpec(flags)
    const settings = await this.settings(flags)
    const cluster = await this.cluster()
    const topic = requireTopic(flags.topic, settings)
    const delivery = producerProperties({...flags, 'linger-ms': flags['linger-ms'] ?? 0}, settings)
    const report = await runPerfE2e(settings, {topic, plan, create, producerProperties: delivery}, (client) =>
      cluster.track(client),
    )
    this.log(renderReport(report))
    process.exitCode = perfExitCode(report)
    return report
  }
}
