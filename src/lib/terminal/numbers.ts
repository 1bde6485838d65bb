// How summaries and progress lines write numbers for people: rates, thousands groups, seconds.

export function rate(count: number, ms: number): string {
  if (ms <= 0) return '0'
  const perSecond = (count * 1000) / ms
  return perSecond >= 100 ? grouped(Math.round(perSecond)) : perSecond.toFixed(1)
}

/**
 * A number with `digits` decimals and its thousands separated by commas (12,345.68), as toLocaleString('en-US')
 * writes it, without it: its first call loads ICU's number formatting, ~25 ms at the end of every produce.
 */
export function grouped(n: number, digits = 0): string {
  const text = fixed(n, digits)
  // toFixed's exponent form (from 1e21 on) has no groups.
  if (text.includes('e')) return text
  const point = text.indexOf('.')
  const whole = point < 0 ? text : text.slice(0, point)
  // A comma before each group of three digits that ends the whole part.
  return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (point < 0 ? '' : text.slice(point))
}

/**
 * n with `digits` decimals, rounded as ICU rounds (half away from zero, on the shortest decimal that reads back as n:
 * 5.005 is 5.01), where toFixed rounds the binary value (5.00499… is 5.00).
 */
function fixed(n: number, digits: number): string {
  const text = String(Math.abs(n))
  if (text.includes('e') || !Number.isFinite(n)) return n.toFixed(digits)
  const rounded = Math.round(Number(`${text}e${digits}`)) / 10 ** digits
  return (n < 0 ? '-' : '') + rounded.toFixed(digits)
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`
}
