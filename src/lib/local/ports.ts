// Probing a local cluster's ports on localhost: whether a broker accepts connections yet, and whether the ports
// a new cluster needs are free before anything is started.
import {createConnection, createServer} from 'node:net'

import {KcliError} from '../errors.js'
import {type NodeLayout, controllerPortOffset, localHost, securedListeners} from './broker-config.js'
import type {ClusterSecurity} from './state-dir.js'

export function accepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({port, host: localHost})
    const finish = (ok: boolean) => {
      socket.destroy()
      done(ok)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })
}

/** Why Kafka could not listen on localhost:port, or undefined when it could. */
async function portProblem(port: number): Promise<string | undefined> {
  // Something listening on any address answers a connect; binding catches the rest (and privileged ports).
  if (await accepts(port)) return `port ${port} is already in use`
  return new Promise((done) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      done(
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use`
          : `cannot listen on port ${port}: ${error.code ?? error.message}`,
      )
    })
    server.listen({port, host: localHost, exclusive: true}, () => server.close(() => done(undefined)))
  })
}

/** Fails on the first port of the cluster (client, controller, secured listeners) that Kafka could not listen on. */
export async function checkPortsFree(nodes: NodeLayout[], security: ClusterSecurity): Promise<void> {
  const uses = [
    ...nodes.map((n) => ({port: n.port, use: nodes.length === 1 ? '' : ` (client port of node ${n.id})`})),
    ...nodes.map((n) => ({port: n.controllerPort, use: ` (controller port of node ${n.id})`})),
    ...nodes.flatMap((n) =>
      securedListeners(n, security).map((l) => ({port: l.port, use: ` (${l.name} port of node ${n.id})`})),
    ),
  ]
  for (const {port, use} of uses) {
    const problem = await portProblem(port)
    if (problem !== undefined) {
      throw new KcliError(`${problem}${use}`, {
        hint: `Choose other ports with --port (client ports count up from it; controller ports are ${controllerPortOffset} higher).`,
      })
    }
  }
}
