// Reads newline-delimited input from files and stdin in large chunks and hands out lines as slices, without a copy
// per line. CRLF endings, a UTF-8 byte order mark and a last line without a newline are handled here.
import fs from 'node:fs'

import {KcliError, usageError} from '../errors.js'

const CHUNK = 1 << 20

export interface LineBatch {
  /** The file name, or `stdin`. */
  source: string
  /** Slices of an internal buffer: valid only until the next batch is requested. */
  lines: Buffer[]
  /** 1-based line number of lines[0] within its source. */
  firstLine: number
}

async function readChunk(fd: number, buffer: Buffer): Promise<number> {
  // fs.read runs on libuv's thread pool, so signals and delivery reports are handled while waiting for input.
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, 0, buffer.length, null, (err, bytesRead) => {
      if (!err) resolve(bytesRead)
      else if (err.code === 'EAGAIN') setTimeout(() => readChunk(fd, buffer).then(resolve, reject), 5)
      else if (err.code === 'EOF') resolve(0)
      else reject(err)
    })
  })
}

function trimLine(line: Buffer, first: boolean): Buffer {
  let start = 0
  let end = line.length
  if (first && end >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) start = 3
  if (end > start && line[end - 1] === 0x0d) end--
  return start === 0 && end === line.length ? line : line.subarray(start, end)
}

function sourceError(name: string, error: unknown): KcliError {
  const code = (error as NodeJS.ErrnoException).code
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : 'cannot be read'
  return usageError(`${name}: ${reason}`)
}

/**
 * Checks every named input before anything is sent, so a typo in the last of several files does not leave the first
 * ones delivered and the run half done. Only looks (stat, access): opening a named pipe would wait for its writer.
 */
export function checkSources(sources: string[]): void {
  for (const name of sources) {
    if (name === '-') continue
    let isDirectory
    try {
      isDirectory = fs.statSync(name).isDirectory()
      fs.accessSync(name, fs.constants.R_OK)
    } catch (error) {
      throw sourceError(name, error)
    }
    if (isDirectory) throw usageError(`${name}: is a directory, not a file`)
  }
}

function openSource(name: string): {fd: number; label: string; close: boolean} {
  if (name === '-') return {fd: 0, label: 'stdin', close: false}
  try {
    return {fd: fs.openSync(name, 'r'), label: name, close: true}
  } catch (error) {
    throw sourceError(name, error)
  }
}

/**
 * Yields batches of lines from each source in turn (`-` is stdin). When `stopped` resolves, reading ends at once,
 * even while waiting for input; the abandoned read keeps the process alive, so the caller must exit explicitly.
 */
export async function* readLineBatches(sources: string[], stopped?: Promise<void>): AsyncGenerator<LineBatch> {
  let isStopped = false
  const stop = stopped?.then(() => {
    isStopped = true
    return 0
  })
  const buffer = Buffer.allocUnsafe(CHUNK)
  for (const name of sources) {
    const {fd, label, close} = openSource(name)
    try {
      let carry: Buffer | undefined
      let lineNumber = 1
      let atStart = true
      while (!isStopped) {
        const read = readChunk(fd, buffer).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code
          throw code === 'EISDIR'
            ? sourceError(label, error)
            : new KcliError(`${label}: reading failed (${code ?? (error as Error).message})`)
        })
        const n = await (stop ? Promise.race([read, stop]) : read)
        if (isStopped) break
        if (n === 0) break
        const lines: Buffer[] = []
        const data = buffer.subarray(0, n)
        let pos = 0
        if (carry) {
          const nl = data.indexOf(10)
          if (nl === -1) {
            carry = Buffer.concat([carry, data])
            continue
          }
          lines.push(trimLine(Buffer.concat([carry, data.subarray(0, nl)]), atStart))
          atStart = false
          carry = undefined
          pos = nl + 1
        }
        for (let nl = data.indexOf(10, pos); nl !== -1; nl = data.indexOf(10, pos)) {
          lines.push(trimLine(data.subarray(pos, nl), atStart))
          atStart = false
          pos = nl + 1
        }
        if (pos < data.length) carry = Buffer.from(data.subarray(pos))
        if (lines.length > 0) {
          yield {source: label, lines, firstLine: lineNumber}
          lineNumber += lines.length
        }
      }
      if (carry && carry.length > 0 && !isStopped)
        yield {source: label, lines: [trimLine(carry, atStart)], firstLine: lineNumber}
    } finally {
      if (close) fs.closeSync(fd)
    }
  }
}
