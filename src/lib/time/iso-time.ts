// Reading a point in time that a user typed: one strict ISO 8601 parser, so every flag that takes a date-time
// (`group reset-offsets --to-datetime`, `consume -o @...`) reads the same text as the same instant.

// A calendar date; optionally a time (seconds and a fraction optional) after `T` or a space; a zone only after a time.
const isoTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
const daysInMonth = (year: number, month: number) =>
  [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]

/** Minutes east of UTC for `Z`, `±hh`, `±hhmm` or `±hh:mm`; undefined when out of range. */
function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 23 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/**
 * An ISO 8601 date or date-time in ms since the epoch; undefined for anything else, including dates that do not exist
 * (2026-02-30, 24:00) and the loose forms Date.parse accepts ("March 7", "31 Jan 2026").
 * - A date alone is local midnight and a date-time without a zone is local time, as kafka-consumer-groups reads them
 *   (Date.parse would read a bare date as UTC midnight).
 * - A zone (`Z`, `±hh:mm`, `±hhmm`, `±hh`) fixes the instant. `T` and `Z` may be lower-case, a space may stand for `T`,
 *   and digits after milliseconds are dropped. Whitespace around the text is ignored.
 */
export function parseIsoTime(text: string): number | undefined {
  const match = isoTime.exec(text.trim())
  if (!match) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    return undefined
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'))

  // The year is set on its own because Date reads years 0-99 as 1900-1999.
  if (zone === undefined) {
    const local = new Date(2000, 0, 1, hour, minute, second, ms)
    local.setFullYear(year, month - 1, day)
    return local.getTime()
  }
  const offset = zoneOffsetMinutes(zone)
  if (offset === undefined) return undefined
  const utc = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms))
  utc.setUTCFullYear(year, month - 1, day)
  return utc.getTime() - offset * 60_000
}
