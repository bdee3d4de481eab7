import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../../src/config';
import type { Actor, ConversationPointer } from '../../../src/domain/shared/actor';
import type { AuditEntry } from '../../../src/domain/ports/audit';
import { createDesk, type DeskDependencies, type DeskParts } from '../../../src/domain/createDesk';
import type { ResetJob } from '../../../src/domain/shared/job';
import type { EmulatorHandle, EmulatorOptions } from '../../../src/emulator/api';
import { DEMO_TENANT } from '../../../src/emulator/demoTenant';
import { startEmulator } from '../../../src/emulator/server';
import { DevTokenSource } from '../../../src/intune/credentials';
import { GraphIntune } from '../../../src/intune/graphIntune';
import type { Intune } from '../../../src/domain/ports/intune';
import { createLogger, type Logger } from '../../../src/logger';
import type { DocumentStore, Stores } from '../../../src/domain/ports/storage';
import { openSqliteStores } from '../../../src/store/sqlite/openSqliteStores';
import { RecordingMessenger } from '../../support/recordingMessenger';
import { FakeClock } from './fakeClock';

export { DEMO_TENANT };
export type DemoUser = keyof typeof DEMO_TENANT.users;

const COLLECTIONS = [
  'jobs',
  'jobsNeedingWork',
  'picks',
  'pendingActions',
  'deviceLocks',
  'settings',
];

export interface RigOptions {
  /** Extra environment for loadConfig (e.g. RESETS_PER_TECHNICIAN_PER_HOUR). */
  env?: Record<string, string>;
  emulator?: Omit<EmulatorOptions, 'now'>;
  /** Wraps the real Intune (e.g. to simulate a crash inside a Graph call). */
  wrapIntune?: (intune: Intune) => Intune;
}

/**
 * The domain on real parts: the Intune emulator over HTTP (its clock is the test's
 * fake clock), GraphIntune, SQLite in a temp folder, a recording Messenger.
 */
export class DeskRig {
  readonly logger: Logger;
  private readonly extraStores: Stores<AuditEntry>[] = [];
  private readonly parts: DeskParts[] = [];

  private constructor(
    readonly logs: string[],
    readonly clock: FakeClock,
    readonly emulator: EmulatorHandle,
    readonly intune: Intune,
    readonly stores: Stores<AuditEntry>,
    readonly dataDir: string,
    readonly config: Config,
    readonly messenger: RecordingMessenger,
    logger: Logger,
  ) {
    this.logger = logger;
  }

  static async start(options: RigOptions = {}): Promise<DeskRig> {
    const logs: string[] = [];
    const clock = new FakeClock(new Date());
    const emulator = await startEmulator({
      resetDelayMs: 60_000,
      ...options.emulator,
      now: () => clock.now().getTime(),
    });
    const graph = new GraphIntune({
      baseUrl: emulator.url,
      tokenSource: new DevTokenSource(emulator.url),
      retryDelaySeconds: 0,
      maxRetries: 0,
      requestTimeoutMs: 5000,
      batch: { maxAttempts: 1 },
      logger: captureLogs(logs),
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-domain-'));
    const config = loadConfig({
      GRAPH_BASE_URL: emulator.url,
      MicrosoftAppId: '22222222-2222-2222-2222-222222222222',
      MicrosoftAppPassword: 'not-a-real-secret',
      ALLOWED_TENANT_IDS: DEMO_TENANT.tenantId,
      HELPDESK_GROUP_IDS: DEMO_TENANT.groups.helpdeskTechnicians,
      ADMIN_GROUP_IDS: DEMO_TENANT.groups.helpdeskAdmins,
      RESET_TIMEOUT_MINUTES: '240',
      REMINDER_AFTER_MINUTES: '60',
      ...options.env,
    });
    const rig = new DeskRig(
      logs,
      clock,
      emulator,
      options.wrapIntune ? options.wrapIntune(graph) : graph,
      openSqliteStores<AuditEntry>(dataDir),
      dataDir,
      config,
      new RecordingMessenger(),
      captureLogs(logs),
    );
    rig.main = rig.instance('instance-a');
    return rig;
  }

  /** The first instance (desk + tracker). */
  main!: DeskParts;

  get desk() {
    return this.main.desk;
  }

  get tracker() {
    return this.main.tracker;
  }

  /**
   * Another instance on the same data: its own tracker, optionally its own SQLite connection,
   * Intune, a wrapper of the document store (a recording one), metrics or delegated mode.
   */
  instance(
    instanceId: string,
    options: {
      separateConnection?: boolean;
      intune?: Intune;
      messenger?: RecordingMessenger;
      documents?: DocumentStore;
    } & Pick<DeskDependencies, 'metrics' | 'delegated'> = {},
  ): DeskParts {
    let stores = this.stores;
    if (options.separateConnection) {
      stores = openSqliteStores<AuditEntry>(this.dataDir);
      this.extraStores.push(stores);
    }
    if (options.documents) stores = { ...stores, documents: options.documents };
    const parts = createDesk({
      config: this.config,
      intune: options.intune ?? this.intune,
      stores,
      messenger: options.messenger ?? this.messenger,
      logger: this.logger,
      clock: this.clock,
      instanceId,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.delegated ? { delegated: options.delegated } : {}),
    });
    this.parts.push(parts);
    return parts;
  }

  actor(name: DemoUser, overrides: Partial<Actor> = {}): Actor {
    const aadObjectId = DEMO_TENANT.users[name];
    return {
      tenantId: DEMO_TENANT.tenantId,
      aadObjectId,
      userPrincipalName: `${name}@${DEMO_TENANT.domain}`,
      displayName: name,
      locale: 'en-US',
      ...overrides,
    };
  }

  readonly personal = (actor: Actor): ConversationPointer => ({
    key: `personal:${actor.aadObjectId}`,
    kind: 'personal',
  });
  readonly group: ConversationPointer = { key: 'group:helpdesk-chat', kind: 'groupChat' };
  readonly channel: ConversationPointer = { key: 'channel:helpdesk', kind: 'channel' };

  /** search → pick (the row of `deviceId`) → confirm; fails loudly on any refusal. */
  async startReset(
    actor: Actor,
    query: string,
    deviceId: string,
    ticketRef?: string,
  ): Promise<ResetJob> {
    const confirmed = await this.confirmFor(actor, query, deviceId, ticketRef);
    if (confirmed.kind === 'refused') throw new Error(`confirm refused: ${confirmed.reason}`);
    return confirmed.job;
  }

  async pendingActionFor(
    actor: Actor,
    query: string,
    deviceId: string,
    where = this.group,
  ): Promise<string> {
    const found = await this.desk.search(actor, where, query);
    if (found.kind !== 'results') throw new Error(`search refused: ${found.reason}`);
    const row = found.rows.find((r) => r.device.id === deviceId);
    if (!row?.pickId) throw new Error(`no pick id for ${deviceId}`);
    const picked = await this.desk.pick(actor, where, row.pickId);
    if (picked.kind !== 'confirm') throw new Error(`pick refused: ${picked.reason}`);
    return picked.pendingActionId;
  }

  async confirmFor(actor: Actor, query: string, deviceId: string, ticketRef?: string) {
    const pendingActionId = await this.pendingActionFor(actor, query, deviceId);
    return this.desk.confirm(
      actor,
      { ...this.group, activityId: 'activity-1' },
      pendingActionId,
      ticketRef,
    );
  }

  async job(id: string): Promise<ResetJob> {
    const doc = await this.stores.documents.get<ResetJob>('jobs', id);
    if (!doc) throw new Error(`no job ${id}`);
    return doc.value;
  }

  async auditEntries(): Promise<AuditEntry[]> {
    return this.stores.audit.recent(10_000);
  }

  /** Everything persisted or logged, as text: documents, audit, the SQLite files' bytes, log lines. */
  async everythingWritten(): Promise<string> {
    const parts: string[] = [];
    for (const collection of COLLECTIONS) {
      parts.push(JSON.stringify(await this.stores.documents.list(collection)));
    }
    parts.push(JSON.stringify(await this.auditEntries()));
    for (const file of await readdir(this.dataDir)) {
      parts.push((await readFile(join(this.dataDir, file))).toString('latin1'));
    }
    parts.push(...this.logs);
    return parts.join('\n');
  }

  /** Tracker cycles ended so far, by any instance of the rig (their trace lines). */
  trackerCycles(): number {
    return this.logs.filter((line) => line.includes('"msg":"Tracker cycle done"')).length;
  }

  /** Moves the fake clock and runs one tracker cycle. */
  async tick(minutes = 0, parts: DeskParts = this.main): Promise<void> {
    this.clock.advanceMinutes(minutes);
    await parts.tracker.runOnce();
  }

  async close(): Promise<void> {
    await Promise.all(this.parts.map((p) => Promise.race([p.tracker.stop(), delay(200)])));
    for (const stores of this.extraStores) await stores.documents.close();
    await this.stores.documents.close();
    await this.emulator.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Every log line, at the most talkative level: tests prove no passcode reached a log, and
 * wait for the tracker's "Tracker cycle done" lines (trackerCycles) instead of for time.
 */
const captureLogs = (lines: string[]): Logger =>
  createLogger('trace', { write: (line: string) => void lines.push(line) });

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
