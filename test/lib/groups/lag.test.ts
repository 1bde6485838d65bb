// Group lag arithmetic and the group describe tables, from plain data.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Chalk} from 'chalk'

import {
  type GroupReport,
  formatAssignment,
  renderGroupReport,
  renderGroupSummary,
  renderMembers,
  renderPartitions,
} from '../../../src/lib/groups/report.js'
import {tpKey} from '../../../src/lib/kafka/offsets.js'
import {type PartitionWatermarks, groupLag} from '../../../src/lib/groups/lag.js'

const plain = new Chalk({level: 0})
const coloured = new Chalk({level: 1})

function marks(entries: Array<[string, number, number, number]>): Map<string, PartitionWatermarks> {
  return new Map(entries.map(([topic, partition, logStart, logEnd]) => [tpKey(topic, partition), {logStart, logEnd}]))
}

describe('groupLag', () => {
  it('gives lag = log end - committed, and null where nothing is committed', () => {
    const {rows, totalLag} = groupLag({
      committed: [
        {topic: 'orders', partition: 0, offset: 5},
        {topic: 'orders', partition: 1, offset: -1001},
      ],
      watermarks: marks([
        ['orders', 0, 0, 12],
        ['orders', 1, 0, 7],
        ['orders', 2, 0, 3],
      ]),
      members: [],
      topicPartitions: new Map([['orders', [0, 1, 2]]]),
    })
    assert.deepEqual(
      rows.map((r) => [r.partition, r.committed, r.logEnd, r.lag]),
      [
        [0, 5, 12, 7],
        [1, null, 7, null],
        [2, null, 3, null],
      ],
    )
    assert.equal(totalLag, 7)
  })

  it('gives zero lag when the group committed the log end', () => {
    const {rows, totalLag} = groupLag({
      committed: [{topic: 't', partition: 0, offset: 40}],
      watermarks: marks([['t', 0, 10, 40]]),
      members: [],
    })
    assert.equal(rows[0].lag, 0)
    assert.equal(totalLag, 0)
  })

  it('counts from the committed offset even when it is below the log start (records deleted)', () => {
    const {rows} = groupLag({
      committed: [{topic: 't', partition: 0, offset: 3}],
      watermarks: marks([['t', 0, 50, 80]]),
      members: [],
    })
    assert.deepEqual([rows[0].committed, rows[0].logStart, rows[0].logEnd, rows[0].lag], [3, 50, 80, 77])
  })

  it('shows a committed offset beyond the log end as a negative lag instead of hiding it', () => {
    const {rows} = groupLag({
      committed: [{topic: 't', partition: 0, offset: 90}],
      watermarks: marks([['t', 0, 0, 80]]),
      members: [],
    })
    assert.equal(rows[0].lag, -10)
  })

  it('leaves watermarks and lag unknown for a topic that no longer exists', () => {
    const {rows, totalLag} = groupLag({
      committed: [{topic: 'gone', partition: 0, offset: 9}],
      watermarks: new Map(),
      members: [],
      topicPartitions: new Map([['gone', []]]),
    })
    assert.deepEqual(rows, [
      {
        topic: 'gone',
        partition: 0,
        committed: 9,
        logStart: null,
        logEnd: null,
        lag: null,
        memberId: null,
        clientId: null,
        host: null,
      },
    ])
    assert.equal(totalLag, null, 'unknown, not 0')
  })

  it('gives no total lag (null, printed -) for a group with nothing committed: unknown is never 0', () => {
    const {rows, totalLag} = groupLag({
      committed: [],
      watermarks: marks([['t', 0, 0, 40]]),
      members: [{memberId: 'm', clientId: 'c', host: '/h', partitions: [{topic: 't', partition: 0}]}],
    })
    assert.equal(rows[0].lag, null)
    assert.equal(totalLag, null)
  })

  it('sorts several topics, attaches owners, and lists assigned partitions with nothing committed', () => {
    const {rows, totalLag} = groupLag({
      committed: [
        {topic: 'b', partition: 1, offset: 4},
        {topic: 'a', partition: 0, offset: 1},
      ],
      watermarks: marks([
        ['a', 0, 0, 2],
        ['a', 1, 0, 6],
        ['b', 0, 0, 0],
        ['b', 1, 0, 10],
      ]),
      members: [
        {
          memberId: 'm1',
          clientId: 'app',
          host: '/10.0.0.1',
          partitions: [
            {topic: 'a', partition: 1},
            {topic: 'b', partition: 1},
          ],
        },
      ],
      topicPartitions: new Map([
        ['a', [0, 1]],
        ['b', [0, 1]],
        ['unrelated', [0]],
      ]),
    })
    assert.deepEqual(
      rows.map((r) => [r.topic, r.partition, r.committed, r.lag, r.memberId]),
      [
        ['a', 0, 1, 1, null],
        ['a', 1, null, null, 'm1'],
        ['b', 0, null, null, null],
        ['b', 1, 4, 6, 'm1'],
      ],
    )
    assert.equal(totalLag, 7)
  })

  it('without a partition list shows only committed or assigned partitions', () => {
    const {rows} = groupLag({
      committed: [{topic: 't', partition: 2, offset: 0}],
      watermarks: marks([['t', 2, 0, 0]]),
      members: [],
    })
    assert.deepEqual(
      rows.map((r) => r.partition),
      [2],
    )
  })
})

const report: GroupReport = {
  group: 'billing',
  state: 'Stable',
  type: 'classic',
  assignor: 'range',
  coordinator: {id: 1, host: 'localhost', port: 9092},
  members: [
    {
      memberId: 'm-1',
      clientId: 'app\u001b[31m',
      host: '/127.0.0.1',
      groupInstanceId: null,
      partitions: [
        {topic: 'orders', partition: 0},
        {topic: 'orders', partition: 1},
      ],
    },
  ],
  partitions: [
    {
      topic: 'orders',
      partition: 0,
      committed: 5,
      logStart: 0,
      logEnd: 9,
      lag: 4,
      memberId: 'm-1',
      clientId: 'app',
      host: '/127.0.0.1',
    },
    {
      topic: 'orders',
      partition: 1,
      committed: null,
      logStart: 0,
      logEnd: 3,
      lag: null,
      memberId: 'm-1',
      clientId: 'app',
      host: '/127.0.0.1',
    },
    {
      topic: 'orders',
      partition: 2,
      committed: 3,
      logStart: 0,
      logEnd: 3,
      lag: 0,
      memberId: null,
      clientId: null,
      host: null,
    },
  ],
  totalLag: 4,
}

const cells = (line: string) => line.trim().split(/\s+/)

describe('group describe tables', () => {
  it('prints - where nothing is committed or nobody owns the partition', () => {
    const lines = renderPartitions(report, plain).split('\n')
    assert.deepEqual(cells(lines[0]), [
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-START-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'MEMBER-ID',
      'CLIENT-ID',
      'HOST',
    ])
    assert.deepEqual(cells(lines[1]), ['orders', '0', '5', '0', '9', '4', 'm-1', 'app', '/127.0.0.1'])
    assert.deepEqual(cells(lines[2]), ['orders', '1', '-', '0', '3', '-', 'm-1', 'app', '/127.0.0.1'])
    assert.deepEqual(cells(lines[3]), ['orders', '2', '3', '0', '3', '0', '-', '-', '-'])
  })

  it('colours only a positive lag, and only when asked to', () => {
    const text = renderPartitions(report, coloured)
    assert.match(text, /\u001b\[33m4\u001b\[39m/)
    assert.doesNotMatch(text, /\u001b\[33m0/)
    assert.doesNotMatch(renderPartitions(report, plain), /\u001b\[3/)
  })

  it('summarises each group on one row', () => {
    const lines = renderGroupSummary([report], plain).split('\n')
    assert.deepEqual(cells(lines[0]), ['GROUP', 'COORDINATOR', 'STATE', 'ASSIGNOR', 'MEMBERS', 'TOTAL-LAG'])
    assert.deepEqual(cells(lines[1]), ['billing', '1', '(localhost:9092)', 'Stable', 'range', '1', '4'])
    assert.deepEqual(
      cells(renderGroupSummary([{...report, assignor: null, coordinator: null}], plain).split('\n')[1]),
      ['billing', '-', 'Stable', '-', '1', '4'],
    )
  })

  it('lists members with their assignment and makes client-supplied ids terminal-safe', () => {
    const text = renderMembers(report)
    assert.doesNotMatch(text, /\u001b/)
    assert.match(text, /app\\u001b\[31m/)
    assert.match(text, /orders\(0,1\)/)
    assert.equal(
      formatAssignment([
        {topic: 'a', partition: 0},
        {topic: 'a', partition: 2},
        {topic: 'b', partition: 1},
      ]),
      'a(0,2) b(1)',
    )
  })

  it('says so when a group has no members and no partitions', () => {
    const text = renderGroupReport({...report, state: 'Empty', members: [], partitions: [], totalLag: 0}, plain)
    assert.match(text, /has no active members/)
    assert.match(text, /nothing committed and nothing assigned/)
  })
})
