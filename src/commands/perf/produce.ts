// `kcli perf produce`: throughput and delivery latency percentiles, as Kafka's producer perf test reports them.
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {producerProperties} from '../../lib/produce/producer-settings.js'
import {boundFlags, createSpec, exitHelp, reportHelp, requireTopic, sendFlags, topicFlag} from '../../lib/perf/flags.js'
import {resolvePlan} from '../../lib/perf/plan.js'
import {runPerfProduce} from '../../lib/perf/produce.js'
import {type PerfReport, perfExitCode, renderReport} from '../../lib/perf/report.js'

export default class PerfProduce extends KafkaCommand {
  static override summary = 'Measure producing: msg/s, MB/s and delivery latency percentiles.'
  static override description = `Sends --count messages, or for --duration (default 10s), of --size random letters, at --rate messages per second or as fast as the client takes them (max, the default). Every delivery report is read: the latency of a message runs from its send time to its report (p50, p95, p99, p99.9, max). At a fixed rate the send time is the time the schedule meant it to go, not when the loop got to it, so a stall shows in the latencies of every message it held up (no coordinated omission); at a fixed rate, --duration means rate × duration messages. At max the client's queue (queue.buffering.max.messages, 200,000 by default) is kept full, so latency there is mostly time spent queued; -X queue.buffering.max.messages=20000 shortens it.

The topic must exist, unless --create (with --partitions) makes it; it is kept afterwards. Delivery flags and defaults are those of \`kcli produce\` (acks=all, idempotence on, linger.ms=5); -X passes any other librdkafka property.

${reportHelp}

${exitHelp}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -t bench --count 1000000 --size 100',
    '<%= config.bin %> <%= command.id %> -t bench --rate 1000 --duration 30s --acks 1',
    '<%= config.bin %> <%= command.id %> -t bench --create -p 3 -d 10s --json',
  ]

  static override flags = {...topicFlag, ...boundFlags, ...sendFlags({rate: 'max', lingerMs: 5})}
  static override enableJsonFlag = true

  async run(): Promise<PerfReport> {
    const {flags} = await this.parse(PerfProduce)
    const plan = resolvePlan(flags, {rate: 'max', durationMs: 10_000, size: 100, minSize: 1})
    const create = createSpec(flags)
    const settings = await this.settings(flags)
    const cluster = await this.cluster()
    const topic = requireTopic(flags.topic, settings)
    const report = await runPerfProduce(
      settings,
      {topic, plan, create, producerProperties: producerProperties(flags, settings)},
      (client) => cluster.track(client),
    )
    this.log(renderReport(report))
    process.exitCode = perfExitCode(report)
    return report
  }
}
