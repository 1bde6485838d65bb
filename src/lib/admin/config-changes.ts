// Pure rules of `topic alter-config` and `cluster alter-config`: the changes the flags ask for, the plan against the
// current values (what each config is and becomes), and how configs and plans are printed.
import {usageError} from '../errors.js'
import {renderTable, terminalSafe} from '../terminal/output.js'
import type {ConfigChange, ConfigInfo, ConfigOp} from './configs.js'

export interface ConfigChangeFlags {
  set?: string[]
  delete?: string[]
  append?: string[]
  subtract?: string[]
}

function splitAssignment(text: string, flag: string): {name: string; value: string} {
  const at = text.indexOf('=')
  if (at <= 0)
    throw usageError(`--${flag} ${text}: expected name=value`, `For example: --${flag} retention.ms=86400000.`)
  return {name: text.slice(0, at).trim(), value: text.slice(at + 1)}
}

/** The changes, in the order of the flags' kinds; a config named twice is a usage error (the broker refuses it too). */
export function parseConfigChanges(flags: ConfigChangeFlags): ConfigChange[] {
  const changes: ConfigChange[] = [
    ...(flags.set ?? []).map((t): ConfigChange => ({...splitAssignment(t, 'set'), op: 'set'})),
    ...(flags.delete ?? []).map((name): ConfigChange => ({name: name.trim(), op: 'delete'})),
    ...(flags.append ?? []).map((t): ConfigChange => ({...splitAssignment(t, 'append'), op: 'append'})),
    ...(flags.subtract ?? []).map((t): ConfigChange => ({...splitAssignment(t, 'subtract'), op: 'subtract'})),
  ]
  if (changes.length === 0)
    throw usageError(
      'say which configs to change',
      'Use --set name=value, --delete name, --append name=item or --subtract name=item (each repeatable).',
    )
  const seen = new Set<string>()
  for (const change of changes) {
    if (change.name === '') throw usageError('a config name must not be empty')
    if (seen.has(change.name)) throw usageError(`config ${change.name} is named twice: change each config once`)
    seen.add(change.name)
  }
  return changes
}

// Configs whose values must never be printed, also before the broker said so (a name it does not list yet).
const secretName = /password|secret|jaas\.config|\.key$|credentials/i

/** One row of the plan. Stable JSON: fields are only ever added. */
export interface ConfigChangeRow {
  name: string
  op: ConfigOp
  /** What the flag gave (an item for append/subtract); null for delete, and for a sensitive config. */
  value: string | null
  /** The value now and where it comes from; null when the broker lists no such config. */
  current: {value: string | null; source: string} | null
  /**
   * The value after the change; null for delete (the config then inherits the broker's or Kafka's default), and for a
   * sensitive config.
   */
  newValue: string | null
  sensitive: boolean
  /** True when the change leaves the config as it is: a deletion of what is not set here, or the same value again. */
  unchanged: boolean
}

/** Where a value set on the resource itself comes from: only such a value can be deleted there. */
export const ownSource = {
  topic: 'DYNAMIC_TOPIC_CONFIG',
  broker: 'DYNAMIC_BROKER_CONFIG',
  cluster: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
} as const

const listItems = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

/**
 * What each change does to the current values (`current`: the resource's configs as the broker lists them; `own`:
 * the source of a value set on the resource itself).
 */
export function planConfigChanges(
  changes: ConfigChange[],
  current: ConfigInfo[],
  own: (typeof ownSource)[keyof typeof ownSource],
): ConfigChangeRow[] {
  const byName = new Map(current.map((c) => [c.name, c]))
  return changes.map((change) => {
    const now = byName.get(change.name)
    const setHere = now?.source === own
    const sensitive = (now?.sensitive ?? false) || secretName.test(change.name)
    const value = change.value ?? null
    let newValue: string | null
    switch (change.op) {
      case 'set':
        newValue = value
        break
      case 'delete':
        newValue = null
        break
      case 'append': {
        const items = listItems(now?.value ?? null)
        newValue = [...items, ...listItems(value).filter((item) => !items.includes(item))].join(',')
        break
      }
      case 'subtract': {
        const removed = listItems(value)
        newValue = listItems(now?.value ?? null)
          .filter((item) => !removed.includes(item))
          .join(',')
        break
      }
    }
    return {
      name: change.name,
      op: change.op,
      value: sensitive ? null : value,
      current: now ? {value: sensitive ? null : now.value, source: now.source} : null,
      newValue: sensitive ? null : newValue,
      sensitive,
      unchanged: change.op === 'delete' ? !setHere : setHere && !now.sensitive && now.value === newValue,
    }
  })
}

// Below here: printing.

const sensitiveText = '<sensitive>'

/** The short word for where a value comes from, as a person reads it. */
export function sourceLabel(source: string): string {
  switch (source) {
    case 'DYNAMIC_TOPIC_CONFIG':
      return 'topic'
    case 'DYNAMIC_BROKER_CONFIG':
      return 'broker'
    case 'DYNAMIC_DEFAULT_BROKER_CONFIG':
      return 'cluster default'
    case 'STATIC_BROKER_CONFIG':
      return 'broker file'
    case 'DEFAULT_CONFIG':
      return 'default'
    default:
      return source.toLowerCase()
  }
}

const shown = (value: string | null, sensitive: boolean) =>
  sensitive ? sensitiveText : value === null ? '-' : terminalSafe(value)

/** CONFIG CURRENT NEW: the current value with where it comes from, the new value or what a deletion leaves. */
export function renderConfigPlan(rows: ConfigChangeRow[]): string {
  return renderTable([
    ['CONFIG', 'CURRENT', 'NEW'],
    ...rows.map((r) => [
      terminalSafe(r.name),
      r.current === null ? '-' : `${shown(r.current.value, r.sensitive)} (${sourceLabel(r.current.source)})`,
      r.op === 'delete'
        ? r.unchanged
          ? '(not set here: nothing to delete)'
          : '(deleted: inherits the default)'
        : `${shown(r.newValue, r.sensitive)}${r.unchanged ? ' (unchanged)' : ''}`,
    ]),
  ])
}

/** CONFIG VALUE SOURCE, with read-only configs marked. */
export function renderConfigList(configs: ConfigInfo[]): string {
  if (configs.length === 0) return ''
  return renderTable([
    ['CONFIG', 'VALUE', 'SOURCE'],
    ...configs.map((c) => [
      terminalSafe(c.name),
      shown(c.value, c.sensitive),
      `${sourceLabel(c.source)}${c.readOnly ? ', read-only' : ''}`,
    ]),
  ])
}
