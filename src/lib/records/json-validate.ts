// Checks that bytes are one JSON text in valid UTF-8 (RFC 8259: what JSON.parse accepts of a UTF-8 line) without
// building any objects: produce validates every line but sends the original bytes, so a parse would be wasted work on
// the hot path. One pass, no calls per character: lookup tables classify bytes, and a typed array is the nesting stack.
// Bytes >= 0x80 may only stand inside strings, where they must form valid UTF-8 sequences.

import {isUtf8} from 'node:buffer'

export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const OPEN_BRACE = 0x7b
export const CLOSE_BRACE = 0x7d
export const OPEN_BRACKET = 0x5b
export const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const ZERO = 0x30

/** 1: a byte that stands for itself in a string (printable ASCII but `"` and `\`). */
const PLAIN = new Uint8Array(256)
/** 1: JSON whitespace. */
const SPACE_ALL = new Uint8Array(256)
/** 1: JSON whitespace that keeps a text on one line. */
const SPACE_INLINE = new Uint8Array(256)
/** 1: a decimal digit. */
const DIGIT = new Uint8Array(256)
/** 1: a hex digit. */
const HEX = new Uint8Array(256)
/** 1: a character allowed after a backslash (other than u). */
const ESCAPE = new Uint8Array(256)
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = 1
PLAIN[QUOTE] = PLAIN[BACKSLASH] = 0
for (const c of [0x20, 0x0a, 0x09, 0x0d]) SPACE_ALL[c] = 1
SPACE_INLINE[0x20] = SPACE_INLINE[0x09] = 1
for (let c = 0x30; c <= 0x39; c++) DIGIT[c] = HEX[c] = 1
for (let c = 0x41; c <= 0x46; c++) HEX[c] = HEX[c + 0x20] = 1
for (const c of '"\\/bfnrt') ESCAPE[c.charCodeAt(0)] = 1

// The nesting stack (1: object, 0: array), reused: validation never runs twice at once.
const MAX_DEPTH = 4096
const stack = new Uint8Array(MAX_DEPTH)

/** Index after a multi-byte UTF-8 sequence whose lead byte is at i, or -1 (overlongs and surrogates are invalid). */
export function utf8Sequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i]
  if (c >= 0xc2 && c <= 0xdf) return i + 1 < end && (b[i + 1] & 0xc0) === 0x80 ? i + 2 : -1
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= end) return -1
    const d = b[i + 1]
    const low = c === 0xe0 ? 0xa0 : 0x80
    const high = c === 0xed ? 0x9f : 0xbf
    return d >= low && d <= high && (b[i + 2] & 0xc0) === 0x80 ? i + 3 : -1
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= end) return -1
    const d = b[i + 1]
    const low = c === 0xf0 ? 0x90 : 0x80
    const high = c === 0xf4 ? 0x8f : 0xbf
    return d >= low && d <= high && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80 ? i + 4 : -1
  }
  return -1
}

/** Index after the closing quote of a string whose opening quote is at i, or -1. */
function string(b: Uint8Array, i: number, end: number): number {
  i++
  for (;;) {
    while (i < end && PLAIN[b[i]] === 1) i++
    if (i >= end) return -1
    const c = b[i]
    if (c === QUOTE) return i + 1
    if (c === BACKSLASH) {
      const e = b[i + 1]
      if (e === 0x75) {
        if (i + 5 >= end || HEX[b[i + 2]] + HEX[b[i + 3]] + HEX[b[i + 4]] + HEX[b[i + 5]] !== 4) return -1
        i += 6
      } else if (ESCAPE[e] === 1) {
        i += 2
      } else {
        return -1
      }
    } else if (c < 0x80) {
      // A control character.
      return -1
    } else if ((i = utf8Sequence(b, i, end)) === -1) {
      return -1
    }
  }
}

/** Index after a number starting at i, or -1. */
function number(b: Uint8Array, i: number, end: number): number {
  if (b[i] === MINUS) i++
  if (i >= end) return -1
  if (b[i] === ZERO) {
    i++
  } else {
    if (DIGIT[b[i]] !== 1) return -1
    while (i < end && DIGIT[b[i]] === 1) i++
  }
  if (i < end && b[i] === DOT) {
    if (++i >= end || DIGIT[b[i]] !== 1) return -1
    while (i < end && DIGIT[b[i]] === 1) i++
  }
  if (i < end && (b[i] | 0x20) === 0x65) {
    if (++i < end && (b[i] === PLUS || b[i] === MINUS)) i++
    if (i >= end || DIGIT[b[i]] !== 1) return -1
    while (i < end && DIGIT[b[i]] === 1) i++
  }
  return i
}

function literal(b: Uint8Array, i: number, end: number, word: string): number {
  if (i + word.length > end) return -1
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1
  return i + word.length
}

/** Index after the scalar that starts at i, or -1. */
function value(b: Uint8Array, i: number, end: number): number {
  const c = b[i]
  if (c === QUOTE) return string(b, i, end)
  if (c === MINUS || DIGIT[c] === 1) return number(b, i, end)
  if (c === 0x74) return literal(b, i, end, 'true')
  if (c === 0x66) return literal(b, i, end, 'false')
  if (c === 0x6e) return literal(b, i, end, 'null')
  return -1
}

/**
 * True when b[start, end) is exactly one JSON text in valid UTF-8, surrounding whitespace allowed; with `inline`, only
 * a text on one line (no line breaks between its tokens either), as a JSON line can embed it.
 */
export function isJson(b: Uint8Array, start = 0, end = b.length, inline = false): boolean {
  const space = inline ? SPACE_INLINE : SPACE_ALL
  let depth = 0
  let i = start
  while (i < end && space[b[i]] === 1) i++
  for (;;) {
    // A value is expected at i.
    if (i >= end) return false
    const c = b[i]
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const isObject = c === OPEN_BRACE
      i++
      while (i < end && space[b[i]] === 1) i++
      if (i < end && b[i] === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        i++
      } else {
        if (depth === MAX_DEPTH) return deepJson(b, start, end, inline)
        stack[depth++] = isObject ? 1 : 0
        if (isObject && (i = memberName(b, i, end, space)) === -1) return false
        continue
      }
    } else if ((i = value(b, i, end)) === -1) {
      return false
    }
    // After a value: close containers, or move on to the next element.
    for (;;) {
      while (i < end && space[b[i]] === 1) i++
      if (depth === 0) return i === end
      if (i >= end) return false
      const isObject = stack[depth - 1] === 1
      const d = b[i]
      if (d === COMMA) {
        i++
        while (i < end && space[b[i]] === 1) i++
        if (isObject && (i = memberName(b, i, end, space)) === -1) return false
        break
      }
      if (d !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) return false
      depth--
      i++
    }
  }
}

/** Index of the value after `"name" :` starting at i, or -1. */
function memberName(b: Uint8Array, i: number, end: number, space: Uint8Array): number {
  if (i >= end || b[i] !== QUOTE || (i = string(b, i, end)) === -1) return -1
  while (i < end && space[b[i]] === 1) i++
  if (i >= end || b[i] !== COLON) return -1
  i++
  while (i < end && space[b[i]] === 1) i++
  return i
}

/** Nesting deeper than the stack: rare enough to leave to JSON.parse (with a UTF-8 check of its own). */
function deepJson(b: Uint8Array, start: number, end: number, inline: boolean): boolean {
  const bytes = Buffer.from(b.buffer, b.byteOffset + start, end - start)
  if (!isUtf8(bytes) || (inline && (bytes.includes(0x0a) || bytes.includes(0x0d)))) return false
  try {
    JSON.parse(bytes.toString('utf8'))
    return true
  } catch {
    return false
  }
}
