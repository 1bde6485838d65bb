// The secrets of a secured local cluster, kept in <state dir>/security (mode 700): the SASL user's password, and a
// throwaway CA with a broker and a client certificate made with openssl.
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ExitCode, KcliError} from '../errors.js'
import {CommandError, lastLines, run} from './kafka-dist.js'

export interface CredentialFiles {
  dir: string
  /** The password of SASL user `kcli`, alone on one line. */
  password: string
  /** The password of SCRAM user `kcli-limited` (a cluster made with --acl), alone on one line. */
  limitedPassword: string
  /** The CA certificate clients verify the brokers with. */
  ca: string
  /** The broker's private key and certificate, in one PEM file (Kafka's PEM keystore). */
  brokerKeystore: string
  /** A client certificate and key signed by the CA, for mTLS. */
  clientCert: string
  clientKey: string
}

export function credentialFiles(stateDir: string): CredentialFiles {
  const dir = join(stateDir, 'security')
  return {
    dir,
    password: join(dir, 'kcli.password'),
    limitedPassword: join(dir, 'kcli-limited.password'),
    ca: join(dir, 'ca.pem'),
    brokerKeystore: join(dir, 'broker-keystore.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  }
}

async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, {recursive: true, mode: 0o700})
  await chmod(dir, 0o700)
}

/**
 * A SASL password (`files.password` unless told), made once per state dir (base64url, so it needs no quoting in a JAAS
 * option).
 */
export async function ensurePassword(files: CredentialFiles, file: string = files.password): Promise<string> {
  await ensureDir(files.dir)
  if (!existsSync(file)) await writeFile(file, `${randomBytes(18).toString('base64url')}\n`, {mode: 0o600})
  return (await readFile(file, 'utf8')).trim()
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, {cwd})
  } catch (error) {
    if (error instanceof CommandError && error.code === 'ENOENT') {
      throw new KcliError('openssl is needed to make the certificates of a local TLS listener, and it is not on PATH', {
        exit: ExitCode.usage,
        hint: 'Install it (e.g. apt-get install openssl), or start without --tls.',
      })
    }
    const output = error instanceof CommandError ? lastLines(error.output, 5) : (error as Error).message
    throw new KcliError(`openssl ${args[0]} failed while making the local certificates: ${output}`)
  }
}

// EC keys: quick to make, and both librdkafka (OpenSSL) and the broker's JVM accept them.
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
const days = '3650'

/** Makes the CA, the broker's and the client's certificates unless they exist. */
export async function ensureCertificates(files: CredentialFiles): Promise<void> {
  if ([files.ca, files.brokerKeystore, files.clientCert, files.clientKey].every((f) => existsSync(f))) return
  await ensureDir(files.dir)
  const work = join(files.dir, `.work-${process.pid}`)
  await mkdir(work, {mode: 0o700})
  try {
    const at = (name: string) => join(work, name)
    await openssl(
      [
        'req',
        '-x509',
        ...newKey,
        '-keyout',
        at('ca.key'),
        '-out',
        at('ca.pem'),
        '-days',
        days,
        '-subj',
        '/CN=kcli local CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      work,
    )
    const sign = async (name: string, subject: string, extensions: string) => {
      await writeFile(at(`${name}.ext`), extensions)
      await openssl(['req', ...newKey, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject], work)
      await openssl(
        [
          'x509',
          '-req',
          '-in',
          at(`${name}.csr`),
          '-CA',
          at('ca.pem'),
          '-CAkey',
          at('ca.key'),
          '-set_serial',
          `0x${randomBytes(8).toString('hex')}`,
          '-days',
          days,
          '-out',
          at(`${name}.pem`),
          '-extfile',
          at(`${name}.ext`),
        ],
        work,
      )
    }
    await sign(
      'broker',
      '/CN=localhost',
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n',
    )
    await sign('client', `/CN=kcli`, 'extendedKeyUsage=clientAuth\n')
    const read = (name: string) => readFile(at(name), 'utf8')
    await writeFile(files.ca, await read('ca.pem'), {mode: 0o600})
    await writeFile(files.brokerKeystore, (await read('broker.key')) + (await read('broker.pem')), {mode: 0o600})
    await writeFile(files.clientCert, await read('client.pem'), {mode: 0o600})
    await writeFile(files.clientKey, await read('client.key'), {mode: 0o600})
  } finally {
    // The CA's key is not kept: nobody can sign another certificate this cluster would trust.
    await rm(work, {recursive: true, force: true})
  }
}
