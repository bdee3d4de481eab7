import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Passcode } from '../../src/domain/shared/passcode';
import { DEVICE_SELECT, toDevice, toResetResult } from '../../src/intune/deviceMapping';

const entry = (over: Record<string, unknown>) => ({
  '@odata.type': '#microsoft.graph.resetPasscodeActionResult',
  actionName: 'resetPasscode',
  actionState: 'done',
  startDateTime: '2026-11-24T10:00:00Z',
  lastUpdatedDateTime: '2026-11-24T10:01:10Z',
  passcode: '482913',
  errorCode: 0,
  ...over,
});

describe('intune/deviceMapping', () => {
  it('selects exactly the fields the bot uses', () => {
    assert.deepEqual(
      [...DEVICE_SELECT].sort(),
      [
        'azureADDeviceId',
        'azureADRegistered',
        'deviceEnrollmentType',
        'deviceName',
        'deviceType',
        'emailAddress',
        'id',
        'joinType',
        'lastSyncDateTime',
        'manufacturer',
        'model',
        'operatingSystem',
        'osVersion',
        'serialNumber',
        'userDisplayName',
        'userPrincipalName',
      ].sort(),
    );
  });

  it('maps a managedDevice and ignores fields it does not know', () => {
    const device = toDevice({
      id: 'd1',
      deviceName: 'Lumia',
      operatingSystem: 'Windows',
      osVersion: '10.0.15063.297',
      azureADRegistered: true,
      serialNumber: null,
      deviceActionResults: [entry({})],
      imei: '356938035643809',
    });
    assert.deepEqual(device, {
      id: 'd1',
      deviceName: 'Lumia',
      operatingSystem: 'Windows',
      osVersion: '10.0.15063.297',
      azureADRegistered: true,
      serialNumber: null,
    });
  });

  it('drops an item without an id', () => {
    assert.equal(toDevice({ deviceName: 'x' }), undefined);
    assert.equal(toDevice(null), undefined);
  });

  it('reads the resetPasscode entry and wraps the passcode at once', () => {
    const result = toResetResult({
      deviceActionResults: [{ actionName: 'retire', actionState: 'done' }, entry({})],
    });
    assert.ok(result);
    assert.equal(result.actionState, 'done');
    assert.equal(result.errorCode, 0);
    assert.ok(result.passcode instanceof Passcode);
    assert.equal(result.passcode.reveal(), '482913');
    for (const text of [
      JSON.stringify(result),
      String(result.passcode),
      inspect(result, { depth: 5 }),
      `${result.passcode}`,
    ]) {
      assert.ok(!text.includes('482913'), text);
    }
  });

  it('finds the entry by @odata.type when actionName differs', () => {
    const result = toResetResult({
      deviceActionResults: [
        entry({ actionName: 'ResetPasscodeAction', actionState: 'pending', passcode: null }),
      ],
    });
    assert.equal(result?.actionState, 'pending');
    assert.equal(result?.passcode, undefined);
  });

  it('keeps no passcode unless the action is done', () => {
    assert.equal(
      toResetResult({ deviceActionResults: [entry({ actionState: 'active' })] })?.passcode,
      undefined,
    );
    assert.equal(
      toResetResult({
        deviceActionResults: [entry({ actionState: 'failed', errorCode: -2016345060 })],
      })?.errorCode,
      -2016345060,
    );
  });

  it('is undefined without a resetPasscode entry', () => {
    assert.equal(toResetResult({ deviceActionResults: [] }), undefined);
    assert.equal(
      toResetResult({ deviceActionResults: [{ actionName: 'retire', actionState: 'done' }] }),
      undefined,
    );
    assert.equal(toResetResult({}), undefined);
  });

  it('takes the latest of several resetPasscode entries', () => {
    const result = toResetResult({
      deviceActionResults: [
        entry({
          actionState: 'done',
          lastUpdatedDateTime: '2026-11-20T10:00:00Z',
          passcode: '111111',
        }),
        entry({
          actionState: 'pending',
          lastUpdatedDateTime: '2026-11-24T10:00:00Z',
          passcode: null,
        }),
      ],
    });
    assert.equal(result?.actionState, 'pending');
  });

  it('treats an unknown actionState as still in progress', () => {
    assert.equal(
      toResetResult({ deviceActionResults: [entry({ actionState: 'unknownFutureValue' })] })
        ?.actionState,
      'pending',
    );
  });
});
