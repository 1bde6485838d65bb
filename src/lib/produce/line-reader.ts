// Reads newline-delimited input from files and stdin in large chunks and hands out lines as slices, without a copy
// per line. CRLF endings, a UTF-8 byte order mark and a last line without a newline are handled here.
import fs from 'node:fs'

import {KcliError, usageError} from '../errors.js'
import {nonBlockingDescriptor} from '../terminal/descriptors.js'

const CHUNK = 1 << 20

export interface LineBatch {
  /** The file name, or `stdin`. */
  source: string
  /** The bytes the lines are in: valid only until the next batch is requested. */
  data: Buffer
  /** Line i is data[starts[i], ends[i]): without its line ending, byte order mark or carriage return. */
  starts: Int32Array
  ends: Int32Array
  count: number
  /** 1-based line number of the first line within its source. */
  firstLine: number
}

/** Line i of a batch as a slice of its buffer (the fast paths work on the offsets instead). */
export function lineAt(batch: LineBatch, i: number): Buffer {
  return batch.data.subarray(batch.starts[i], batch.ends[i])
}

/** Reads what is there; a descriptor with nothing yet is asked again every 5 ms, until `stopped`. */
async function readChunk(fd: number, buffer: Buffer, at: number, stopped: () => boolean): Promise<number> {
  // fs.read runs on libuv's thread pool, so signals and delivery reports are handled while waiting for input.
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, at, buffer.length - at, null, (err, bytesRead) => {
      if (!err) resolve(bytesRead)
      else if (err.code === 'EAGAIN' && stopped()) resolve(0)
      else if (err.code === 'EAGAIN') setTimeout(() => readChunk(fd, buffer, at, stopped).then(resolve, reject), 5)
      else if (err.code === 'EOF') resolve(0)
      else reject(err)
    })
  })
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
  if (name === '-') {
    const fd = nonBlockingDescriptor(0)
    return {fd, label: 'stdin', close: fd !== 0}
  }
  try {
    return {fd: fs.openSync(name, 'r'), label: name, close: true}
  } catch (error) {
    throw sourceError(name, error)
  }
}

/** Growable offset arrays, reused from batch to batch. */
class Spans {
  starts = new Int32Array(16_384)
  ends = new Int32Array(16_384)
  count = 0

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2)
      const ends = new Int32Array(this.count * 2)
      starts.set(this.starts)
      ends.set(this.ends)
      this.starts = starts
      this.ends = ends
    }
    this.starts[this.count] = start
    this.ends[this.count++] = end
  }
}

/**
 * Yields batches of lines from each source in turn (`-` is stdin). Lines are offsets into one buffer: an unfinished
 * line moves to its front before the next read, and a line longer than the buffer makes it grow. When `stopped`
 * resolves, reading ends at once, even while waiting for input; the abandoned read keeps the process alive, so the
 * caller must exit explicitly.
 */
export async function* readLineBatches(sources: string[], stopped?: Promise<void>): AsyncGenerator<LineBatch> {
  let isStopped = false
  const stop = stopped?.then(() => {
    isStopped = true
    return 0
  })
  let buffer = Buffer.allocUnsafe(CHUNK)
  const spans = new Spans()
  for (const name of sources) {
    const {fd, label, close} = openSource(name)
    let pending: Promise<number> | undefined
    try {
      // Bytes of an unfinished line at the front of the buffer.
      let carry = 0
      let lineNumber = 1
      let atStart = true
      const line = (start: number, end: number) => {
        // A UTF-8 byte order mark before the first line, and a carriage return before a newline, are not content.
        if (
          atStart &&
          end - start >= 3 &&
          buffer[start] === 0xef &&
          buffer[start + 1] === 0xbb &&
          buffer[start + 2] === 0xbf
        )
          start += 3
        atStart = false
        if (end > start && buffer[end - 1] === 0x0d) end--
        spans.push(start, end)
      }
      while (!isStopped) {
        if (carry === buffer.length) {
          const grown = Buffer.allocUnsafe(buffer.length * 2)
          buffer.copy(grown, 0, 0, carry)
          buffer = grown
        }
        const read = readChunk(fd, buffer, carry, () => isStopped).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code
          throw code === 'EISDIR'
            ? sourceError(label, error)
            : new KcliError(`${label}: reading failed (${code ?? (error as Error).message})`)
        })
        pending = read
        const n = await (stop ? Promise.race([read, stop]) : read)
        if (isStopped) break
        pending = undefined
        spans.count = 0
        const total = carry + n
        let pos = 0
        if (n === 0) {
          // The end: an unfinished line is the last line.
          if (carry > 0) line(0, carry)
        } else {
          for (let nl = buffer.indexOf(10, carry); nl !== -1 && nl < total; nl = buffer.indexOf(10, pos)) {
            line(pos, nl)
            pos = nl + 1
          }
        }
        if (spans.count > 0) {
          const {starts, ends, count} = spans
          yield {source: label, data: buffer, starts, ends, count, firstLine: lineNumber}
          lineNumber += count
        }
        if (n === 0) break
        buffer.copy(buffer, 0, pos, total)
        carry = total - pos
      }
    } finally {
      // Not under a read still on its way (a stop won the race): the number could be reused meanwhile.
      if (close && pending) void pending.catch(() => 0).finally(() => fs.closeSync(fd))
      else if (close) fs.closeSync(fd)
    }
  }
}
