// `kcli perf consume`: how fast a topic is read from the beginning, as Kafka's consumer perf test reports it.
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {runPerfConsume} from '../../lib/perf/consume.js'
import {boundFlags, exitHelp, reportHelp, requireTopic, topicFlag} from '../../lib/perf/flags.js'
import {parseBound} from '../../lib/perf/plan.js'
import {type PerfReport, perfExitCode, renderReport} from '../../lib/perf/report.js'

export default class PerfConsume extends KafkaCommand {
  static override summary = 'Measure consuming: msg/s and MB/s reading a topic from the beginning.'
  static override description = `Reads every partition from its beginning up to the end it had when the run started, with a consumer assigned to all partitions (no group, nothing committed), and stops there, after --count messages or after --duration, whichever comes first. The time runs from the assignment to the last message read; connecting and looking up offsets are not counted. Bytes are key and value bytes. Fill a topic first with \`kcli perf produce\`.

${reportHelp}

${exitHelp}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -t bench',
    '<%= config.bin %> <%= command.id %> -t bench --count 100000 --json',
  ]

  static override flags = {...topicFlag, ...boundFlags}
  static override enableJsonFlag = true

  async run(): Promise<PerfReport> {
    const {flags} = await this.parse(PerfConsume)
    const plan = parseBound(flags)
    const settings = await this.settings(flags)
    const cluster = await this.cluster()
    const topic = requireTopic(flags.topic, settings)
    const report = await runPerfConsume(settings, {topic, plan}, (client) => cluster.track(client))
    this.log(renderReport(report))
    process.exitCode = perfExitCode(report)
    return report
  }
}
