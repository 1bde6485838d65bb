// `-p, --partition N` of the topic commands that work on some of a topic's partitions (offsets, trim).
import {Flags} from '@oclif/core'

export const partitionFlag = Flags.integer({
  char: 'p',
  description: 'Only this partition (repeatable) [default: all]',
  multiple: true,
  multipleNonGreedy: true,
  min: 0,
})
