// Finds the exact source text of members of a JSON object, so values can be forwarded byte for byte (big integers,
// whitespace and key order survive). Input must already be known to be valid JSON (JSON.parse succeeded).

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
    i++
  }
  return i
}

function skipString(text: string, i: number): number {
  // text[i] is the opening quote
  i++
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i += 2
    else if (c === 0x22) return i + 1
    else i++
  }
  return i
}

function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c === 0x22) return skipString(text, i)
  if (c === 0x7b || c === 0x5b) {
    let depth = 0
    while (i < text.length) {
      const d = text.charCodeAt(i)
      if (d === 0x22) {
        i = skipString(text, i)
        continue
      }
      if (d === 0x7b || d === 0x5b) depth++
      else if (d === 0x7d || d === 0x5d) {
        depth--
        if (depth === 0) return i + 1
      }
      i++
    }
    return i
  }
  // number, true, false, null
  while (i < text.length) {
    const d = text.charCodeAt(i)
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d) break
    i++
  }
  return i
}

/** Source text of each member of the object that `text` holds; the last of duplicate names wins, as in JSON.parse. */
export function memberSources(text: string): Map<string, string> {
  const members = new Map<string, string>()
  let i = skipWhitespace(text, 0)
  if (text.charCodeAt(i) !== 0x7b) return members
  i = skipWhitespace(text, i + 1)
  while (i < text.length && text.charCodeAt(i) !== 0x7d) {
    const nameEnd = skipString(text, i)
    const name = JSON.parse(text.slice(i, nameEnd)) as string
    i = skipWhitespace(text, nameEnd) + 1 // past ':'
    i = skipWhitespace(text, i)
    const end = skipValue(text, i)
    members.set(name, text.slice(i, end))
    i = skipWhitespace(text, end)
    if (text.charCodeAt(i) === 0x2c) i = skipWhitespace(text, i + 1)
  }
  return members
}

/** Source text at a dotted path (`user.id`) inside a JSON object, or undefined when the path does not lead anywhere. */
export function sourceAtPath(text: string, path: string[]): string | undefined {
  let current: string | undefined = text
  for (const name of path) {
    if (current === undefined) return undefined
    current = memberSources(current).get(name)
  }
  return current
}
