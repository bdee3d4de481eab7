import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readTenantFile } from '../../src/emulator/tenant';
import { projectRoot } from '../../src/paths';
import { AUTH } from './support';

const CLI = join(projectRoot(), 'dist', 'src', 'emulator', 'cli.js');

/** Starts the CLI and resolves with the URL it prints. */
function startCli(
  args: string[],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('emulator CLI', () => {
  it('starts with flags, prints its URL, serves, logs requests and stops on SIGTERM', async () => {
    const { child, url, output } = await startCli([
      '--port',
      '0',
      '--devices',
      '7',
      '--reset-delay-ms',
      '10',
      '--log',
    ]);
    try {
      const reply = await fetch(`${url}/beta/deviceManagement/managedDevices?$count=true&$top=1`, {
        headers: { Authorization: AUTH },
      });
      const body = (await reply.json()) as { '@odata.count': number };
      assert.equal(reply.status, 200);
      assert.equal(body['@odata.count'], readTenantFile().managedDevices.length + 7);
      // The child prints the request line on its own time: wait for it (bounded), not 1 s.
      const deadline = Date.now() + 15_000;
      while (!output().includes('managedDevices') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(output(), /\[emulator\] GET \/beta\/deviceManagement\/managedDevices\?\S* 200/);
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  it('takes the real-Graph switches: permissions enforced, PIN recovery by Settings Catalog', async () => {
    const { child, url } = await startCli([
      '--port',
      '0',
      '--real-tenant',
      '--permissions',
      'DeviceManagementManagedDevices.Read.All',
    ]);
    try {
      const read = await fetch(`${url}/v1.0/deviceManagement/managedDevices?$top=1`, {
        headers: { Authorization: AUTH },
      });
      assert.equal(read.status, 200);
      const policies = await fetch(`${url}/beta/deviceManagement/configurationPolicies`, {
        headers: { Authorization: AUTH },
      });
      assert.equal(policies.status, 403, 'DeviceManagementConfiguration.Read.All is not held');
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  it('refuses a bad flag value with exit code 2', async () => {
    for (const args of [
      ['--port', 'abc'],
      ['--pin-recovery', 'gpo'],
      ['--permissions', 'not a permission'],
    ]) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 2, args.join(' '));
    }
  });
});
