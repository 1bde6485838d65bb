// A group's committed offsets listed on a new cluster over the stock librdkafka, as a prebuilt binary has it: there,
// ListConsumerGroupOffsets answered NOT_COORDINATOR (a new cluster's answer until it has created its offsets topic)
// sends a coordinator lookup to the client's own consumer group, and dies of a NULL dereference in a client without
// one (patches/README.md, "a group's offsets listed on a new cluster"). kcli's patch fixes librdkafka; on the stock
// calls kcli lists offsets through a consumer of the group instead (ClusterContext.offsetsAdmin). The stock librdkafka
// here is this build's with that one fix taken out, relinked from its objects and put first on LD_LIBRARY_PATH.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {kcli, root, uniqueName} from '../helpers.js'

const port = 23100
const bootstrap = `localhost:${port}`
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-stock-offsets-'))
const stateDir = path.join(work, 'kafka')
const librdkafka = path.join(root, 'node_modules', '@confluentinc', 'kafka-javascript', 'deps', 'librdkafka')
const fixed = 'if (actions & RD_KAFKA_ERR_ACTION_REFRESH && rkb->rkb_rk->rk_cgrp) {'
const stock = 'if (actions & RD_KAFKA_ERR_ACTION_REFRESH) {'

/** This build's librdkafka without the OffsetFetch fix: its objects copied, the one source changed and relinked. */
function stockLibrdkafka(): string {
  const dir = path.join(work, 'librdkafka')
  const src = path.join(dir, 'src')
  assert.ok(fs.existsSync(path.join(librdkafka, 'src', 'rdkafka_request.o')), `no librdkafka build in ${librdkafka}`)
  fs.mkdirSync(src, {recursive: true})
  for (const file of ['mklove', 'Makefile', 'Makefile.config', 'config.h'])
    fs.cpSync(path.join(librdkafka, file), path.join(dir, file), {recursive: true, preserveTimestamps: true})
  for (const entry of fs.readdirSync(path.join(librdkafka, 'src'))) {
    const from = path.join(librdkafka, 'src', entry)
    // The sources, objects and dependency files make needs; not the libraries, which are built again.
    if (/\.(a|so(\.\d+)?)$/.test(entry)) continue
    fs.cpSync(from, path.join(src, entry), {recursive: true, preserveTimestamps: true})
  }
  const request = path.join(src, 'rdkafka_request.c')
  const text = fs.readFileSync(request, 'utf8')
  assert.equal(text.split(fixed).length, 2, "kcli's OffsetFetch fix is not where this test takes it out")
  fs.writeFileSync(request, text.replace(fixed, stock))
  execFileSync('make', ['librdkafka.so.1'], {cwd: src, stdio: 'ignore'})
  return src
}

describe("a group's offsets on a new cluster, over the stock librdkafka", () => {
  let stockDir = ''
  before(() => {
    stockDir = stockLibrdkafka()
    // The addon finds librdkafka through its RUNPATH, which LD_LIBRARY_PATH comes before: check that it did.
    const maps = execFileSync(
      process.execPath,
      [
        '-e',
        'require("@confluentinc/kafka-javascript"); process.stdout.write(require("fs").readFileSync("/proc/self/maps", "utf8"))',
      ],
      {cwd: root, env: {...process.env, LD_LIBRARY_PATH: stockDir}, encoding: 'utf8'},
    )
    const loaded = maps.split('\n').filter((l) => l.includes('librdkafka.so'))
    assert.ok(
      loaded.length > 0 && loaded.every((l) => l.endsWith(path.join(stockDir, 'librdkafka.so.1'))),
      loaded.join('\n'),
    )
  })
  after(async () => {
    await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
    fs.rmSync(work, {recursive: true, force: true})
  })

  it('group describe, the first group command there, answers instead of crashing', async () => {
    const started = await kcli(['local', 'start', '--port', String(port), '--state-dir', stateDir, '--clean'], {
      timeoutMs: 120_000,
    })
    assert.equal(started.code, 0, started.stderr)
    const group = uniqueName('stock-offsets')
    const result = await kcli(['group', 'describe', group, '-b', bootstrap], {
      env: {KCLI_DATA_PATH: 'stock', LD_LIBRARY_PATH: stockDir},
    })
    assert.equal(result.code, 2, `exit ${result.code}, signal ${result.signal}: ${result.stderr}`)
    assert.match(result.stderr, new RegExp(`^kcli: group "${group}" does not exist\\n`))
  })
})
