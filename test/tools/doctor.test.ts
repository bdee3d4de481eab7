import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../src/emulator/api';
import { readTenantFile, startEmulator } from '../../src/emulator/server';
import { DEV_GRAPH_TOKEN } from '../../src/intune/credentials';
import { projectRoot } from '../../src/paths';
import type { ReadinessItem, ReadinessReport } from '../../src/readiness/report';

const SCRIPT = join(projectRoot(), 'dist', 'src', 'tools', 'doctor.js');
const PIN_PROFILE = 'c0f1e2d3-0001-4b5a-9c8d-7e6f5a4b3c21';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type JsonItem = ReadinessItem & { title: string; fix?: string };
type JsonReport = Omit<ReadinessReport, 'items'> & { lang: string; items: JsonItem[] };

/** Runs the built tool with only the settings given (nothing leaks in from this shell). */
function runDoctor(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const find = (report: JsonReport, id: string): JsonItem => {
  const found = report.items.find((entry) => entry.id === id);
  assert.ok(found, `no item ${id}`);
  return found;
};

describe('npm run doctor (built tool as a child process, emulator on loopback)', function () {
  let dataDir: string;
  let emulator: EmulatorHandle | undefined;

  beforeEach(async function () {
    dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-doctor-'));
  });

  afterEach(async function () {
    await emulator?.close();
    emulator = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  const envFor = (e: EmulatorHandle): Record<string, string> => ({
    GRAPH_BASE_URL: e.url,
    AZURE_TENANT_ID: e.tenantId,
    DATA_DIR: dataDir,
  });

  it('reports the demo tenant ready as JSON and exits 0', async function () {
    emulator = await startEmulator();
    const run = await runDoctor(envFor(emulator), ['--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.ok, true);
    assert.equal(report.lang, 'en');
    assert.equal(report.tenantId, emulator.tenantId);
    assert.equal(report.permissionSource, 'opaque');
    // Windows 10 Mobile's four prerequisites and the Android Enterprise and AOSP policies.
    assert.deepEqual(report.counts, { pass: 9, fail: 0, warn: 1, skip: 6 });
    assert.equal(find(report, 'graph.reachable').status, 'pass');
    assert.equal(find(report, 'prerequisite.enablePinRecoveryAssignment').status, 'pass');
    assert.equal(find(report, 'storage.roundTrip').status, 'pass');
    const bot = find(report, 'bot.registration');
    assert.equal(bot.status, 'warn');
    assert.match(bot.fix ?? '', /MicrosoftAppId/);
    assert.equal(find(report, 'permission.Application.Read.All').detail, 'development token');
    // It really asked Graph, with the dev token, which it never prints.
    assert.ok(
      emulator.requests.some((r) => r.url.startsWith('/v1.0/deviceManagement/managedDevices')),
    );
    assert.ok(!run.stdout.includes(DEV_GRAPH_TOKEN) && !run.stderr.includes(DEV_GRAPH_TOKEN));
  });

  it('names the permission Graph refuses (403) when the app lacks DeviceManagementConfiguration.Read.All', async function () {
    // The dev token carries no roles to read: the emulator enforces what the app holds instead.
    emulator = await startEmulator({
      permissions: [
        'DeviceManagementManagedDevices.Read.All',
        'DeviceManagementManagedDevices.PrivilegedOperations.All',
        'Application.Read.All',
      ],
    });
    const run = await runDoctor(envFor(emulator), ['--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const profile = find(report, 'prerequisite.enablePinRecoveryProfile');
    assert.equal(profile.status, 'fail');
    assert.match(
      profile.detail ?? '',
      /^not checked: the app lacks DeviceManagementConfiguration\.Read\.All: 403 Forbidden/,
    );
    assert.equal(find(report, 'graph.reachable').status, 'pass');
  });

  it('exits 1 with each failure and its fix when the EnablePinRecovery profile is gone', async function () {
    const tenant = readTenantFile();
    tenant.deviceConfigurations = tenant.deviceConfigurations.filter((c) => c.id !== PIN_PROFILE);
    emulator = await startEmulator({ tenant });
    const run = await runDoctor(envFor(emulator), ['--json', '--lang', 'zh-TW']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.ok, false);
    assert.equal(report.lang, 'zh-TW');
    const profile = find(report, 'prerequisite.enablePinRecoveryProfile');
    assert.equal(profile.status, 'fail');
    assert.ok(
      profile.fix?.includes(`PassportForWork/${emulator.tenantId}/Policies/EnablePinRecovery`),
    );
    assert.match(profile.fix ?? '', /自訂設定檔/);
    assert.equal(find(report, 'prerequisite.enablePinRecoveryAssignment').status, 'fail');
    assert.equal(find(report, 'graph.reachable').fix, undefined);
  });

  it('prints a table with the fix under each failure, in zh-TW when asked', async function () {
    const tenant = readTenantFile();
    tenant.deviceConfigurations = tenant.deviceConfigurations.filter((c) => c.id !== PIN_PROFILE);
    emulator = await startEmulator({ tenant });
    const run = await runDoctor(envFor(emulator), ['--lang', 'zh-TW']);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    const failed = lines.findIndex((l) =>
      l.startsWith('  ✖ 已啟用 PIN 復原（自訂設定檔、設定目錄或身分識別保護）'),
    );
    assert.ok(failed > 0, run.stdout);
    assert.match(lines[failed + 1] ?? '', /^ {6}修正方式：/);
    assert.ok(lines.some((l) => l.startsWith(`  ✔ Microsoft Graph 在 ${emulator!.url} 有回應`)));
    assert.ok(lines.some((l) => l.startsWith('  ! Bot 身分能登入 Bot Framework')));
    assert.ok(lines.some((l) => l.startsWith('  – ')));
    assert.ok(run.stdout.includes('尚未就緒'));
  });

  it('exits 1 and reports storage when DATA_DIR is a file', async function () {
    emulator = await startEmulator();
    const file = join(dataDir, 'file');
    await writeFile(file, 'not a folder');
    const run = await runDoctor({ ...envFor(emulator), DATA_DIR: file }, ['--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const storage = find(report, 'storage.reachable');
    assert.equal(storage.status, 'fail');
    assert.ok(storage.fix?.includes(file));
    assert.equal(find(report, 'graph.reachable').status, 'pass');
  });

  it('exits 2 with one line naming the setting when PORT=abc', async function () {
    const run = await runDoctor({
      PORT: 'abc',
      DATA_DIR: dataDir,
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
    });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /^Setting PORT is invalid \("abc"\)/);
  });

  it('exits 2 for an unknown option or language', async function () {
    for (const args of [['--jsn'], ['--lang', 'fr']]) {
      const run = await runDoctor(
        { DATA_DIR: dataDir, GRAPH_BASE_URL: 'http://127.0.0.1:9' },
        args,
      );
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /Usage: doctor/);
      assert.equal(run.stdout, '');
    }
  });
});
