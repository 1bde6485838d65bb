// Backslash escapes as people type them in a shell argument, kcat's way: `-K '\t'`, `-f '%k\x1f%v\n'`. One reading for
// every flag that takes them, so a separator that works for produce works for consume.

const simple: Record<string, string> = {t: '\t', n: '\n', r: '\r', '0': '\0', '\\': '\\'}

/**
 * The escape starting at text[i] (a backslash): \t \n \r \0 \\ \xHH \uHHHH, as its character and how many characters
 * it spans; undefined when text[i] starts no escape kcli knows (it then stays as typed).
 */
export function escapeAt(text: string, i: number): {value: string; length: number} | undefined {
  if (text[i] !== '\\') return undefined
  const e = text[i + 1]
  if (e !== undefined && e in simple) return {value: simple[e], length: 2}
  const hex = e === 'x' ? 2 : e === 'u' ? 4 : 0
  const digits = text.slice(i + 2, i + 2 + hex)
  if (hex > 0 && digits.length === hex && /^[0-9a-fA-F]+$/.test(digits))
    return {value: String.fromCharCode(parseInt(digits, 16)), length: 2 + hex}
  return undefined
}

/** Every escape of the text read; anything else stays as it is. */
export function unescape(text: string): string {
  let out = ''
  for (let i = 0; i < text.length;) {
    const escape = escapeAt(text, i)
    out += escape ? escape.value : text[i]
    i += escape ? escape.length : 1
  }
  return out
}
