// Finding the rc file, and trust: a file found by searching a project is used only once trusted and while unchanged;
// no file found by searching ever runs code (cosmiconfig's meta config included); the user's own files need no trust.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {trustProjectFile, untrustProjectFile} from '../../../src/lib/settings/trust.js'
import {findRcFile} from '../../../src/lib/settings/rc-search.js'
import {resolveSettings} from '../../../src/lib/settings/resolve.js'

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-rc-search-')))
const home = path.join(root, 'home')
const env: NodeJS.ProcessEnv = {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
}
const marker = path.join(root, 'code-ran')
const savedHome = process.env.HOME

function write(relative: string, text: string): string {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text)
  return file
}

// Code that would leave a marker file if anything ever ran it.
const evil = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {brokers: 'evil:1'}`
const evilEsm = `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {brokers: 'evil:1'}`

before(() => {
  // os.homedir() follows HOME: the search stops there, and files there are the user's own.
  process.env.HOME = home
  fs.mkdirSync(home, {recursive: true})
})
after(() => {
  process.env.HOME = savedHome
  fs.rmSync(root, {recursive: true, force: true})
})

describe('finding the rc file', () => {
  it('never runs a JavaScript rc file or cosmiconfig meta config found by searching, and says so', async () => {
    const repo = path.join(root, 'repo-js')
    write('repo-js/kcli.config.mjs', evilEsm)
    write('repo-js/.config/config.js', evil)
    write('repo-js/.config/config.yaml', 'cosmiconfig:\n  searchPlaces: [evil.cjs]\n')
    write('repo-js/evil.cjs', evil)
    const found = await findRcFile({cwd: repo, env})
    assert.equal(found.rc, undefined)
    assert.deepEqual(found.ignored, [{file: path.join(repo, 'kcli.config.mjs'), reason: 'code'}])
    const settings = await resolveSettings({flags: {}, env, cwd: repo})
    assert.deepEqual(settings.brokers, ['localhost:9092'])
    assert.equal(fs.existsSync(marker), false, 'no code from the directory ran')
  })

  it('still runs a JavaScript rc file the user names', async () => {
    const file = write('named/kcli.config.cjs', `module.exports = {clientId: 'named-js'}`)
    assert.equal((await resolveSettings({flags: {config: file}, env, cwd: root})).clientId, 'named-js')
  })

  it('ignores a project rc file until it is trusted, and again once it changes', async () => {
    const repo = path.join(root, 'repo', 'sub')
    fs.mkdirSync(repo, {recursive: true})
    const file = write(
      'repo/.kclirc.yaml',
      'brokers: attacker:9092\noauth:\n  tokenUrl: http://attacker/token\n  clientId: me\n',
    )
    let found = await findRcFile({cwd: repo, env})
    assert.equal(found.rc, undefined)
    assert.deepEqual(found.ignored, [{file, reason: 'untrusted'}])
    const untrusted = await resolveSettings({
      flags: {},
      env: {...env, KCLI_OAUTH_CLIENT_SECRET: 'users-secret'},
      cwd: repo,
    })
    assert.deepEqual(untrusted.brokers, ['localhost:9092'], 'the untrusted file chose no endpoint')
    assert.equal(untrusted.security.oauthTokenUrl, undefined)

    const report = await trustProjectFile({cwd: repo, env})
    assert.equal(report.file, file)
    assert.deepEqual(report.keys, ['brokers', 'oauth.tokenUrl', 'oauth.clientId'])
    found = await findRcFile({cwd: repo, env})
    assert.equal(found.rc?.file, file)
    assert.equal(found.rc?.origin, 'project')
    assert.deepEqual((await resolveSettings({flags: {}, env, cwd: repo})).brokers, ['attacker:9092'])

    fs.appendFileSync(file, 'clientId: changed\n')
    found = await findRcFile({cwd: repo, env})
    assert.equal(found.rc, undefined)
    assert.deepEqual(found.ignored, [{file, reason: 'changed'}])

    await trustProjectFile({cwd: repo, env})
    assert.equal((await findRcFile({cwd: repo, env})).rc?.file, file)
    assert.deepEqual(untrustProjectFile({cwd: repo, env}), {file, wasTrusted: true})
    assert.equal((await findRcFile({cwd: repo, env})).rc, undefined)
  })

  it('falls back to the user config file when the project file is not trusted', async () => {
    const user = write('home/.config/kcli/config.yaml', 'clientId: mine\n')
    write('repo2/.kclirc.json', '{"clientId": "theirs"}')
    const found = await findRcFile({cwd: path.join(root, 'repo2'), env})
    assert.equal(found.rc?.file, user)
    assert.equal(found.rc?.origin, 'user')
    fs.rmSync(user)
  })

  it("uses rc files in the home folder without trust: they are the user's own", async () => {
    const file = write('home/.kclirc.yaml', 'clientId: home\n')
    const cwd = path.join(home, 'src', 'project')
    fs.mkdirSync(cwd, {recursive: true})
    const found = await findRcFile({cwd, env})
    assert.equal(found.rc?.file, file)
    assert.equal(found.rc?.origin, 'user')
    fs.rmSync(file)
  })

  it('skips a package.json that does not parse, with a note, and reads a "kcli" key', async () => {
    write('pkg/package.json', '{"name": ')
    const broken = await findRcFile({cwd: path.join(root, 'pkg'), env})
    assert.equal(broken.rc, undefined)
    assert.equal(broken.ignored[0].reason, 'unparsable')
    const file = write('pkg2/package.json', JSON.stringify({name: 'x', kcli: {clientId: 'pkg'}}))
    await trustProjectFile({cwd: path.join(root, 'pkg2'), env})
    // Trust covers the "kcli" key: other changes to package.json keep it.
    fs.writeFileSync(file, JSON.stringify({name: 'x', version: '2.0.0', kcli: {clientId: 'pkg'}}))
    assert.deepEqual((await findRcFile({cwd: path.join(root, 'pkg2'), env})).rc?.content, {clientId: 'pkg'})
  })

  it('refuses to trust a file that is not a valid rc file, or a JavaScript one', async () => {
    write('bad/.kclirc.yaml', 'brokerz: a:1\n')
    await assert.rejects(trustProjectFile({cwd: path.join(root, 'bad'), env}), /unknown key "brokerz"/)
    const js = write('bad-js/kcli.config.js', evil)
    await assert.rejects(
      trustProjectFile({file: js, cwd: root, env}),
      /JavaScript rc files are never used from a project/,
    )
    assert.equal(fs.existsSync(marker), false)
  })
})
