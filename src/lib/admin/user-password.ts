// The password of a SCRAM user that `kcli user create` makes: from a file, a variable or a prompt (asked twice);
// a flag works, with a warning, as for kcli's own secrets. It is never printed; only its salted hash leaves here.
import {usageError} from '../errors.js'
import {commandLineSecretsWarning, secretGivenTwice} from '../settings/checks.js'
import {readSecretFile} from '../settings/secrets.js'
import {warn} from '../terminal/output.js'
import {canPrompt, promptSecret} from '../terminal/prompt.js'

export const userPasswordVariable = 'KCLI_USER_PASSWORD'

export interface PasswordFlags {
  password?: string
  'password-file'?: string
}

/** The new user's password, from exactly one source; refused when empty or when nobody can be asked. */
export async function newUserPassword(
  flags: PasswordFlags,
  user: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const given = [
    ...(flags['password-file'] === undefined ? [] : ['--password-file']),
    ...(env[userPasswordVariable] === undefined ? [] : [userPasswordVariable]),
    ...(flags.password === undefined ? [] : ['--password']),
  ]
  if (given.length > 1) throw secretGivenTwice(given[0], given[1])
  let password: string
  if (flags['password-file'] !== undefined) password = readSecretFile(flags['password-file'], '--password-file')
  else if (env[userPasswordVariable] !== undefined) password = env[userPasswordVariable]
  else if (flags.password !== undefined) {
    for (const warning of commandLineSecretsWarning(
      ['--password'],
      `${userPasswordVariable}, --password-file or the prompt`,
    ))
      warn(warning)
    password = flags.password
  } else {
    if (!canPrompt())
      throw usageError(
        `no password for user ${user}, and no terminal to ask for it on`,
        `Set ${userPasswordVariable} or pass --password-file (mode 600).`,
      )
    password = await promptSecret(`Password for user ${user}: `)
    if (password !== '' && (await promptSecret('The same password again: ')) !== password)
      throw usageError('the two passwords differ: nothing changed')
  }
  if (password === '') throw usageError(`the password of user ${user} must not be empty`)
  return password
}
