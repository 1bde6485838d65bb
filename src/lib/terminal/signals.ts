// SIGINT/SIGTERM for streaming commands: the first asks for a clean stop, the second leaves at once.

export interface InterruptWatch {
  /** True once a first signal arrived. */
  readonly interrupted: boolean
  dispose(): void
}

export function watchInterrupts(
  onFirst: (signal: NodeJS.Signals) => void,
  onSecond: (signal: NodeJS.Signals) => void,
): InterruptWatch {
  let count = 0
  const handler = (signal: NodeJS.Signals) => {
    count++
    if (count === 1) onFirst(signal)
    else onSecond(signal)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    get interrupted() {
      return count > 0
    },
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
