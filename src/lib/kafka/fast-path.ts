// Which data path this build of the client library allows: the native fast path kcli's patch adds (batch produce with
// native delivery counts, packed consume, the admin calls; patches/README.md), or the library's stock calls. A
// prebuilt binary, downloaded where npm could, never has the patch compiled in: the stock calls then serve.
import {loadKafka} from './client.js'

export interface DataPath {
  /** produceBatch with native delivery counts. */
  batchProduce: boolean
  /** consumePacked. */
  packedConsume: boolean
  /** describeConfigs, ACLs, SCRAM users, alterConsumerGroupOffsets, describeCluster. */
  adminCalls: boolean
  /** Why: the switch that forced the stock calls, or what the library lacks. */
  reason: string
}

/** `KCLI_DATA_PATH=stock` forces the stock calls everywhere (tests run both paths; a user can rule the patch out). */
export const dataPathVariable = 'KCLI_DATA_PATH'

interface NativeFlags {
  produceBatch?: boolean
  deliveryCounts?: boolean
  consumePacked?: boolean
  adminCalls?: boolean
}

export async function dataPath(env: NodeJS.ProcessEnv = process.env): Promise<DataPath> {
  const native = ((await loadKafka()) as unknown as {nativeFastPath?: NativeFlags}).nativeFastPath ?? {}
  if (env[dataPathVariable] === 'stock') {
    return {batchProduce: false, packedConsume: false, adminCalls: false, reason: `${dataPathVariable}=stock`}
  }
  const adminCalls = Boolean(native.adminCalls)
  const batchProduce = Boolean(native.produceBatch && native.deliveryCounts)
  const packedConsume = Boolean(native.consumePacked)
  const reason =
    batchProduce && packedConsume
      ? "the client library was built with kcli's patch"
      : "the client library lacks kcli's patch (a prebuilt binary, or patch-package did not run): see patches/README.md"
  return {batchProduce, packedConsume, adminCalls, reason}
}
