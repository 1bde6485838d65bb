// The schema registry's connection flags (--registry-url, its credentials and CA), for the commands that use a
// registry and for `config add`; built from the settings table like the security flags.
import {securityFlags} from '../command/kafka-command.js'
import {registryKeys} from '../settings/registry.js'

export const registryConnectionFlags = securityFlags(registryKeys, 'SCHEMA REGISTRY')
