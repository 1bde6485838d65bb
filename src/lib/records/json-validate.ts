// Checks that bytes are one JSON text (RFC 8259, what JSON.parse accepts) without building any objects: produce
// validates every line but sends the original bytes, so a full parse would be wasted work on the hot path.
// UTF-8 validity is checked separately (buffer.isUtf8); bytes >= 0x80 are only allowed inside strings here.

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

function skipWs(b: Buffer, i: number, end: number): number {
  while (i < end) {
    const c = b[i]
    if (c !== Ch.Space && c !== Ch.Lf && c !== Ch.Tab && c !== Ch.Cr) break
    i++
  }
  return i
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

/** Index after the closing quote of a string starting at i, or -1. */
function string(b: Buffer, i: number, end: number): number {
  i++
  while (i < end) {
    const c = b[i]
    if (c === Ch.Quote) return i + 1
    if (c < 0x20) return -1
    if (c === Ch.Backslash) {
      const e = b[i + 1]
      if (e === 0x75) {
        if (i + 5 >= end || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) return -1
        i += 6
        continue
      }
      // " \ / b f n r t
      if (
        e !== Ch.Quote &&
        e !== Ch.Backslash &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      )
        return -1
      i += 2
      continue
    }
    i++
  }
  return -1
}

function digits(b: Buffer, i: number, end: number): number {
  const start = i
  while (i < end && b[i] >= Ch.Zero && b[i] <= Ch.Nine) i++
  return i === start ? -1 : i
}

/** Index after a number starting at i, or -1. */
function number(b: Buffer, i: number, end: number): number {
  if (b[i] === Ch.Minus) i++
  if (i >= end) return -1
  if (b[i] === Ch.Zero) i++
  else if ((i = digits(b, i, end)) === -1) return -1
  if (i < end && b[i] === Ch.Dot && (i = digits(b, i + 1, end)) === -1) return -1
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++
    if (i < end && (b[i] === Ch.Plus || b[i] === Ch.Minus)) i++
    if ((i = digits(b, i, end)) === -1) return -1
  }
  return i
}

function literal(b: Buffer, i: number, end: number, word: string): number {
  if (i + word.length > end) return -1
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1
  return i + word.length
}

/** Index after a scalar value starting at i, or -1. */
function scalar(b: Buffer, i: number, end: number): number {
  const c = b[i]
  if (c === Ch.Quote) return string(b, i, end)
  if (c === Ch.Minus || (c >= Ch.Zero && c <= Ch.Nine)) return number(b, i, end)
  if (c === 0x74) return literal(b, i, end, 'true')
  if (c === 0x66) return literal(b, i, end, 'false')
  if (c === 0x6e) return literal(b, i, end, 'null')
  return -1
}

/** Index of the value after `"name" :` starting at i, or -1. */
function memberName(b: Buffer, i: number, end: number): number {
  if (i >= end || b[i] !== Ch.Quote || (i = string(b, i, end)) === -1) return -1
  i = skipWs(b, i, end)
  if (i >= end || b[i] !== Ch.Colon) return -1
  return skipWs(b, i + 1, end)
}

/** True when b[start, end) is exactly one JSON text, surrounding whitespace allowed. */
export function isJson(b: Buffer, start = 0, end = b.length): boolean {
  // Each entry: true for an object, false for an array.
  const stack: boolean[] = []
  let i = skipWs(b, start, end)
  for (;;) {
    if (i >= end) return false
    const c = b[i]
    // A value is expected at i.
    if (c === Ch.OpenBrace || c === Ch.OpenBracket) {
      const isObject = c === Ch.OpenBrace
      i = skipWs(b, i + 1, end)
      if (i < end && b[i] === (isObject ? Ch.CloseBrace : Ch.CloseBracket)) {
        i++
      } else {
        stack.push(isObject)
        if (isObject && (i = memberName(b, i, end)) === -1) return false
        continue
      }
    } else if ((i = scalar(b, i, end)) === -1) return false

    // After a value: close containers or move to the next element.
    for (;;) {
      i = skipWs(b, i, end)
      if (stack.length === 0) return i === end
      if (i >= end) return false
      const isObject = stack[stack.length - 1]
      const d = b[i]
      if (d === Ch.Comma) {
        i = skipWs(b, i + 1, end)
        if (isObject && (i = memberName(b, i, end)) === -1) return false
        break
      }
      if (d !== (isObject ? Ch.CloseBrace : Ch.CloseBracket)) return false
      stack.pop()
      i++
    }
  }
}
