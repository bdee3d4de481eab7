import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Passcode } from '../../src/domain/shared/passcode';
import { IntuneError } from '../../src/domain/ports/intune';
import { createLogger } from '../../src/logger';
import { readTenantFile, startRig, type Rig } from './harness';

const tenant = readTenantFile();
const LUMIA = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000001';
const OTHER = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000004';

describe('GraphIntune reset passcode (emulator over HTTP)', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ resetDelayMs: 60_000 });
  });
  after(async () => rig.emulator.close());
  beforeEach(() => rig.emulator.resetRequests());

  it('POSTs v1.0 resetPasscode, gets 204 and returns the request-id', async () => {
    const before = rig.emulator.resetCalls(LUMIA);
    const info = await rig.intune.resetPasscode(LUMIA);
    assert.match(info.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(rig.emulator.resetCalls(LUMIA), before + 1);
    const [request] = rig.topLevel();
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, `/v1.0/deviceManagement/managedDevices/${LUMIA}/resetPasscode`);
    assert.equal(request?.status, 204);
  });

  it('reads the result with a single-device GET: pending, then done with a hidden Passcode', async () => {
    await rig.intune.resetPasscode(OTHER);
    const pending = await rig.intune.getResetResult(OTHER);
    assert.equal(pending?.actionState, 'pending');
    assert.equal(pending?.passcode, undefined);
    assert.equal(
      rig.topLevel().at(-1)?.url,
      `/v1.0/deviceManagement/managedDevices/${OTHER}?$select=deviceActionResults`,
    );

    rig.emulator.completeReset(OTHER);
    const done = await rig.intune.getResetResult(OTHER);
    assert.equal(done?.actionState, 'done');
    assert.ok(done?.passcode instanceof Passcode);
    const secret = done.passcode.reveal();
    assert.ok(secret.length >= 4);
    for (const text of [
      JSON.stringify(done),
      String(done.passcode),
      `${done.passcode}`,
      inspect(done, { depth: 9 }),
    ]) {
      assert.ok(!text.includes(secret), `passcode leaked into: ${text}`);
      assert.ok(text.includes('[passcode hidden]'));
    }
  });

  it('reports a failed reset with its error code and no passcode', async () => {
    const id = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000006';
    rig.emulator.setResetOutcome(id, { state: 'failed', errorCode: -2016345060 });
    await rig.intune.resetPasscode(id);
    rig.emulator.completeReset(id, 'failed', -2016345060);
    const failed = await rig.intune.getResetResult(id);
    assert.equal(failed?.actionState, 'failed');
    assert.equal(failed?.errorCode, -2016345060);
    assert.equal(failed?.passcode, undefined);
  });

  it('is undefined for a device without a resetPasscode entry', async () => {
    assert.equal(
      await rig.intune.getResetResult('d7c2a1e0-4b3a-4c5d-8e6f-000000000016'),
      undefined,
    );
  });

  it('throws IntuneError 404 with the request-id for an unknown device', async () => {
    await assert.rejects(
      rig.intune.resetPasscode('00000000-0000-0000-0000-00000000dead'),
      (e: unknown) => {
        return (
          e instanceof IntuneError &&
          e.status === 404 &&
          e.isNotFound &&
          /^[0-9a-f-]{36}$/.test(e.requestId ?? '')
        );
      },
    );
  });

  it('reads 45 devices in exactly 3 $batch requests (at most 20 each), errors per device', async () => {
    const known = tenant.managedDevices.map((d) => d.id);
    const unknown = Array.from(
      { length: 45 - known.length },
      (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    );
    const ids = [...known, ...unknown];
    assert.equal(ids.length, 45);
    const results = await rig.intune.getResetResults(ids);

    assert.equal(results.size, 45);
    for (const id of known) assert.equal(results.get(id)?.ok, true, id);
    for (const id of unknown) {
      const entry = results.get(id);
      assert.ok(entry && !entry.ok && entry.error.status === 404 && !!entry.error.requestId, id);
    }
    // Then one beta $batch for the demo devices whose old, done resets v1.0 shows without a
    // passcode (the passcode is read from beta when v1.0 lacks it).
    const batches = rig.topLevel().filter((r) => r.url === '/v1.0/$batch');
    assert.equal(batches.length, 3);
    assert.ok(batches.every((r) => r.method === 'POST'));
    assert.ok(rig.topLevel().every((r) => /^\/(v1\.0|beta)\/\$batch$/.test(r.url)));
    const subs = rig.subRequests().filter((r) => r.url.startsWith('/v1.0/'));
    assert.equal(subs.length, 45);
    assert.ok(subs.every((r) => r.url.endsWith('?$select=deviceActionResults')));
  });

  it('reads nothing for an empty list', async () => {
    assert.equal((await rig.intune.getResetResults([])).size, 0);
    assert.equal(rig.emulator.requests.length, 0);
  });

  it('never writes the passcode to the log (debug level), while logging the request-id', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const id = 'd7c2a1e0-4b3a-4c5d-8e6f-000000000014';
    const logged = await startRig({ resetDelayMs: 60_000 }, { logger });
    try {
      const info = await logged.intune.resetPasscode(id);
      logged.emulator.completeReset(id);
      const single = await logged.intune.getResetResult(id);
      const batched = (await logged.intune.getResetResults([id])).get(id);
      const secret = single?.passcode?.reveal();
      assert.ok(secret);
      assert.ok(batched?.ok && batched.result?.passcode?.reveal() === secret);
      const output = lines.join('');
      assert.ok(output.includes(info.requestId!), 'the request-id is logged');
      assert.ok(!output.includes(secret), 'the passcode is not');
    } finally {
      await logged.emulator.close();
    }
  });
});
