// consume --group under faults on the 3-node cluster: the group's coordinator killed mid-stream, then the consumer
// stopped and resumed; the consumer itself SIGKILLed and resumed. A group must never skip a message (no gaps);
// repeats are allowed (at-least-once) and counted.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {kcli, uniqueName} from '../helpers.js'
import {countIds, createTopic, feed, killNode, nodes, restartDownNodes, sleep, startKcli} from './cluster.js'
import {recordFigures} from './figures.js'

const total = 30_000

function printedValues(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.stringify((JSON.parse(l) as {value: unknown}).value))
}

/** The node that coordinates a group, as `kcli group describe` reports it. */
async function coordinatorOf(group: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const described = await kcli(['group', 'describe', group, '--json'])
    if (described.code === 0) {
      const coordinator = (JSON.parse(described.out) as {groups: Array<{coordinator: {id: number} | null}>}).groups[0]
        ?.coordinator
      if (coordinator) return coordinator.id
    }
    await sleep(200)
  }
  throw new Error(`no coordinator for ${group}`)
}

async function produceAll(topic: string): Promise<void> {
  const run = startKcli(['produce', '-t', topic, '-q'])
  await feed(run, total, {chunk: 2000, pauseMs: 150})
  assert.equal(await run.exited, 0, run.stderr())
}

describe('consume --group under faults', () => {
  it('coordinator killed mid-stream, then SIGTERM and resume: no gap', async () => {
    const topic = await createTopic(uniqueName('fault-coord'), 3)
    const group = uniqueName('fault-coord-g')
    const first = startKcli(['consume', '-t', topic, '-g', group, '--from-beginning'])
    const producing = produceAll(topic)
    await sleep(1500)
    const coordinator = await coordinatorOf(group)
    const live = (await nodes()).filter((n) => n.running)
    assert.equal(live.length, 3)
    await killNode(coordinator)
    await sleep(3000)
    const termAt = Date.now()
    first.child.kill('SIGTERM')
    const firstExit = await first.exited
    await producing
    assert.equal((await restartDownNodes()).code, 0)

    const second = startKcli(['consume', '-g', group, '-t', topic, '-e'])
    second.child.stdin!.end()
    assert.equal(await second.exited, 0, second.stderr())
    const values = [...printedValues(first.stdout()), ...printedValues(second.stdout())]
    const {lost, duplicated} = countIds(values, total)
    recordFigures({
      case: 'coordinator SIGKILL mid-consume, SIGTERM, resume',
      messages: total,
      lost,
      duplicated,
      exit: firstExit,
      exitMs: (first.exitedAt() ?? 0) - termAt,
    })
    assert.equal(lost, 0, `gaps: ${lost}; first run: ${first.stderr()}`)
    assert.ok(firstExit === 0 || firstExit === 1, `first run exit ${firstExit}: ${first.stderr()}`)
    assert.doesNotMatch(first.stderr() + second.stderr(), /\n\s+at /, 'no stack trace')
  })

  it('consumer SIGKILLed mid-stream, then resumed: no gap', async () => {
    const topic = await createTopic(uniqueName('fault-sigkill'), 3)
    const group = uniqueName('fault-sigkill-g')
    await produceAll(topic)
    const first = startKcli([
      'consume',
      '-t',
      topic,
      '-g',
      group,
      '--from-beginning',
      '-X',
      'auto.commit.interval.ms=200',
    ])
    while (first.stdout().split('\n').length - 1 < total / 3) await sleep(20)
    // Stop reading: kcli blocks on a full pipe mid-stream, with auto-commits of what it wrote going on meanwhile.
    first.child.stdout!.pause()
    await sleep(1000)
    first.child.kill('SIGKILL')
    // What kcli wrote into the pipe before it died was written: read it all.
    first.child.stdout!.resume()
    const firstExit = await first.exited

    const second = startKcli(['consume', '-g', group, '-t', topic, '-e'])
    second.child.stdin!.end()
    assert.equal(await second.exited, 0, second.stderr())
    // The killed run's last lines may be cut mid-line: only whole lines count as printed.
    const whole = first.stdout().slice(0, first.stdout().lastIndexOf('\n') + 1)
    const values = [...printedValues(whole), ...printedValues(second.stdout())]
    const {lost, duplicated} = countIds(values, total)
    recordFigures({case: 'consumer SIGKILL mid-stream, resume', messages: total, lost, duplicated, exit: firstExit})
    assert.equal(lost, 0, `gaps: ${lost}`)
  })
})
