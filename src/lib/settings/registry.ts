// The schema registry's connection settings: its URL, credentials (basic auth or a bearer token, both secrets) and CA.
// They ride in the same table shape, layers and sources as the security settings (security.ts), so flags, KCLI_*
// variables, rc keys, profiles, trust and `config show` treat them alike; they are never librdkafka properties.
import type {SecurityKeyInfo} from './security.js'

export interface RegistrySettings {
  registryUrl?: string
  registryUsername?: string
  registryPassword?: string
  registryToken?: string
  registryCa?: string
}

export const registryKeys: readonly SecurityKeyInfo[] = [
  {
    key: 'registryUrl',
    name: 'registry.url',
    flag: 'registry-url',
    env: 'KCLI_REGISTRY_URL',
    type: 'string',
    summary: 'Schema registry URL (Confluent API; Apicurio: http://host:port/apis/ccompat/v7)',
  },
  {
    key: 'registryUsername',
    name: 'registry.username',
    flag: 'registry-username',
    env: 'KCLI_REGISTRY_USERNAME',
    type: 'string',
    summary: 'Schema registry user (HTTP basic auth)',
  },
  {
    key: 'registryPassword',
    name: 'registry.password',
    flag: 'registry-password',
    env: 'KCLI_REGISTRY_PASSWORD',
    type: 'secret',
    summary: 'Schema registry password; prefer KCLI_REGISTRY_PASSWORD, --registry-password-file or the prompt',
  },
  {
    key: 'registryToken',
    name: 'registry.token',
    flag: 'registry-token',
    env: 'KCLI_REGISTRY_TOKEN',
    type: 'secret',
    summary: 'Schema registry bearer token (instead of a user and password)',
  },
  {
    key: 'registryCa',
    name: 'registry.ca',
    flag: 'registry-ca',
    env: 'KCLI_REGISTRY_CA',
    type: 'path',
    summary: "CA certificate file (PEM) to verify an https registry with [default: the system's]",
  },
]
