import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createDelegatedIntune, createIntune } from '../../src/intune/createIntune';
import { DEV_GRAPH_TOKEN, TokenAcquisitionError } from '../../src/intune/credentials';
import { startRig } from './harness';
import { startEmulator } from '../../src/emulator/server';

describe('Graph tokens (emulator over HTTP)', () => {
  it('createIntune sends the development token to a loopback Graph on every request', async () => {
    const emulator = await startEmulator();
    try {
      const config = loadConfig({ GRAPH_BASE_URL: emulator.url });
      assert.equal(config.graphDevToken, true);
      const intune = createIntune(config, silentLogger, undefined, { retryDelaySeconds: 0 });
      await intune.ping();
      await intune.searchDevices('SN-LUM950-0001', 5); // a $batch
      await intune.getResetResults(['d7c2a1e0-4b3a-4c5d-8e6f-000000000001']);
      const topLevel = emulator.requests.filter((r) => !r.inBatch);
      assert.ok(topLevel.length >= 3);
      assert.ok(
        topLevel.every((r) => r.authorization === `Bearer ${DEV_GRAPH_TOKEN}`),
        JSON.stringify(topLevel),
      );
    } finally {
      await emulator.close();
    }
  });

  it('refuses the development token for a non-loopback Graph before any request', () => {
    const config = {
      ...loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:1' }),
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      graphDevToken: true,
    };
    assert.throws(() => createIntune(config, silentLogger), TokenAcquisitionError);
  });

  it('uses a technician token in delegated mode, through the same implementation', async () => {
    const emulator = await startEmulator();
    try {
      const config = loadConfig({ GRAPH_BASE_URL: emulator.url, GRAPH_AUTH: 'delegated' });
      const intune = createDelegatedIntune(config, silentLogger, 'technician-token');
      await intune.ping();
      assert.deepEqual(
        emulator.requests.map((r) => r.authorization),
        ['Bearer technician-token'],
      );
    } finally {
      await emulator.close();
    }
  });

  it('surfaces a 401 from Graph as IntuneError 401 with the request id', async () => {
    const rig = await startRig({}, {}, { getToken: async () => '' });
    try {
      await assert.rejects(rig.intune.ping(), (e: unknown) => {
        const error = e as { status?: number; code?: string; requestId?: string };
        return (
          error.status === 401 && error.code === 'InvalidAuthenticationToken' && !!error.requestId
        );
      });
    } finally {
      await rig.emulator.close();
    }
  });

  it('surfaces a token failure as IntuneError TokenAcquisitionError without a request', async () => {
    const rig = await startRig(
      {},
      {},
      {
        getToken: async () => {
          throw new TokenAcquisitionError('Could not get a Graph token: AADSTS7000215');
        },
      },
    );
    try {
      await assert.rejects(
        rig.intune.ping(),
        (e: unknown) => (e as { code?: string }).code === 'TokenAcquisitionError',
      );
      assert.equal(rig.emulator.requests.length, 0);
    } finally {
      await rig.emulator.close();
    }
  });
});
