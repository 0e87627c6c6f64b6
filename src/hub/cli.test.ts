// `npm run hub` as its users run it: separate processes, real pipes, a real data folder.
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './test-client';
import { CLI, spawnHub, tempDataDir, type HubProcess } from './test-kit';

const exec = promisify(execFile);
/** No HUB_SECRET: the secret comes from the data folder, as when a person runs the hub. */
const ENV = { ...process.env, HUB_SECRET: '', HUB_DATA: '' };

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function hub(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<Outcome> {
  return exec(process.execPath, ['--import', 'tsx', CLI, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

const invite = (collection: string, member: string) => [
  'token',
  '--collection',
  collection,
  '--member',
  member,
  '--role',
  'editor',
];

describe('token and revoke next to a running hub', () => {
  let dataDir: string;
  let running: HubProcess;
  let fingerprint: string;
  let usesLine: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    running = await spawnHub(dataDir, [], { HUB_SECRET: '' });
    usesLine = await running.lineMatching(/^Data in /);
    fingerprint = /fingerprint ([0-9a-f]+)/.exec(usesLine)?.[1] ?? '';
  });
  afterAll(() => running.stop());

  it('the hub says which data folder and secret it uses', () => {
    expect(usesLine).toContain(`Data in ${dataDir}`);
    expect(usesLine).toContain(`in ${join(dataDir, 'secret')} (fingerprint `);
    expect(fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it.each([
    ['--data', (dir: string) => ({ args: ['--data', dir], env: ENV })],
    ['HUB_DATA', (dir: string) => ({ args: [], env: { ...ENV, HUB_DATA: dir } })],
  ])(
    'mint invites the hub accepts, given the folder by %s, and name its secret',
    async (_, how) => {
      const { args, env } = how(dataDir);
      const minted = await hub([...invite('c1', 'ana'), ...args], env);
      expect(minted.code).toBe(0);
      expect(minted.stderr).toContain(`fingerprint ${fingerprint}`);
      const [token] = minted.stdout.trim().split('\n');
      const ana = await TestClient.connect(running.url, 'c1', token!);
      await ana.synced();

      const revoked = await hub(['revoke', token!, ...args], env);
      expect(revoked.stdout).toMatch(/^Revoked token /);
      await ana.closed();
      expect(ana.closeCode).toBe(4401);
    },
  );
});

describe('hub CLI', () => {
  it('prints its usage with --help, naming how to serve other machines', async () => {
    for (const args of [['--help'], ['token', '--help'], ['help']]) {
      const { code, stdout } = await hub(args);
      expect(code).toBe(0);
      expect(stdout).toContain('--host 0.0.0.0');
      expect(stdout).toMatch(/revoke TOKEN_OR_ID/);
    }
  });

  it('mints an invite with a secret it generates into the data folder (0600), and says so', async () => {
    const dataDir = tempDataDir();
    const { stdout, stderr } = await hub([
      ...invite('c1', 'ann'),
      '--data',
      dataDir,
      '--hub',
      'ws://h:1',
    ]);
    const [token, link] = stdout.trim().split('\n');
    expect(link).toBe(
      `curio://join?hub=ws%3A%2F%2Fh%3A1&collection=c1&token=${encodeURIComponent(token!)}`,
    );
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
    expect(stderr).toContain(`a new hub secret, created in ${join(dataDir, 'secret')}`);
    expect(stderr).toContain(`start it with --data ${dataDir}`);
  });

  it('explains its mistakes', async () => {
    const missing = await hub(['token', '--member', 'ann', '--role', 'owner']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/collection ID is required/);
    const misplaced = await hub(['--data', tempDataDir(), ...invite('c1', 'ann')]);
    expect(misplaced.stderr).toMatch(/"token" is not an option here; commands .* come first/);
    const nowhere = tempDataDir();
    const revoke = await hub(['revoke', 'abcdefgh12', '--data', nowhere]);
    expect(revoke.stderr).toMatch(/No hub has run with .*: give the running hub's --data/);
    expect(existsSync(join(nowhere, 'hub.sqlite'))).toBe(false);
  });

  it('stops quietly when the reader of its output goes away (`| head -1`)', async () => {
    const dataDir = tempDataDir();
    const args = ['--import', 'tsx', CLI, ...invite('c1', 'ann'), '--data', dataDir];
    // The pipe is closed before the CLI writes a byte, as `head -1` closes it after one line.
    const child = spawn(process.execPath, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);

    const piped = await exec(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" ${args.join(' ')} | head -1`],
      { env: ENV },
    );
    expect(piped.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('store and TLS options', () => {
  it('names the problem with a store that is not PostgreSQL, and with half a TLS pair', async () => {
    const data = tempDataDir();
    const store = await hub(['--data', data, '--store', 'mysql://db/curio']);
    expect(store.code).not.toBe(0);
    expect(store.stderr).toContain('give a PostgreSQL URL (postgres://USER@HOST/DB)');
    const tls = await hub(['--data', data, '--tls-cert', join(data, 'cert.pem')]);
    expect(tls.code).not.toBe(0);
    expect(tls.stderr).toContain('TLS needs both --tls-cert FILE and --tls-key FILE');
    const missing = await hub(['--data', data, '--tls-cert', 'nope.pem', '--tls-key', 'nope.key']);
    expect(missing.stderr).toContain('Could not read the TLS certificate nope.pem');
  });

  it('warns when an invite for another machine says ws://', async () => {
    const minted = await hub([
      ...invite('c1', 'ana'),
      '--data',
      tempDataDir(),
      '--hub',
      'ws://hub.example.org:4455',
    ]);
    expect(minted.code).toBe(0);
    expect(minted.stderr).toContain('over plain ws:// its token can be read on the network');
  });
});
