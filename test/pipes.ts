// A real pipe for unit tests of what writes to stdout: kcli's output is a non-blocking pipe when Node set it up.
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Both ends of a FIFO, non-blocking unless `blocking` (as a shell's pipe is: a read or write waits); `close()` closes
 * whichever end is still open and removes the FIFO.
 */
export function fifo({blocking = false} = {}): {
  reader: number
  writer: number
  closeReader: () => void
  closeWriter: () => void
  close: () => void
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-fifo-'))
  const file = path.join(dir, 'out')
  execFileSync('mkfifo', [file])
  const flag = blocking ? 0 : fs.constants.O_NONBLOCK
  // Held open read-write meanwhile, so that opening either end in blocking mode does not wait for the other.
  const both = fs.openSync(file, fs.constants.O_RDWR)
  const reader = fs.openSync(file, fs.constants.O_RDONLY | flag)
  const writer = fs.openSync(file, fs.constants.O_WRONLY | flag)
  fs.closeSync(both)
  const open = new Set([reader, writer])
  const closeFd = (fd: number) => {
    if (open.delete(fd)) fs.closeSync(fd)
  }
  return {
    reader,
    writer,
    closeReader: () => closeFd(reader),
    closeWriter: () => closeFd(writer),
    close: () => {
      for (const fd of [...open]) closeFd(fd)
      fs.rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** Reads what the pipe holds now, without waiting. */
export function drain(fd: number): Buffer {
  const chunks: Buffer[] = []
  const chunk = Buffer.alloc(1 << 16)
  for (;;) {
    try {
      const n = fs.readSync(fd, chunk)
      if (n === 0) break
      chunks.push(Buffer.from(chunk.subarray(0, n)))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break
      throw error
    }
  }
  return Buffer.concat(chunks)
}
