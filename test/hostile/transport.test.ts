import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { startApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { closeServer, createServer, listen } from '../../src/server';
import { personalChat, TeamsActivities } from '../support/teamsActivities';
import { DEMO_TENANT, PEOPLE, type TeamsHarness } from '../support/teamsHarness';
import { guarded, repliesText, startHostile } from './support/hostileHarness';
import { rawRequest, type RawResponse } from './support/rawHttp';

/**
 * Transport attacks on the real restify server (no app id: the loopback development
 * mode; authentication has its own file). Every refused request is refused before the
 * bot sees it: no connector call, no Graph call at all.
 */
type Activity = Record<string, unknown>;

interface TransportCase {
  name: string;
  send(h: TeamsHarness): Promise<RawResponse>;
  status: number;
}

const MESSAGES = '/api/messages';
const json = { 'content-type': 'application/json' };

function helpActivity(h: TeamsHarness): Activity {
  return h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help');
}

const post = (h: TeamsHarness, body: string, headers: Record<string, string> = json) =>
  rawRequest(h.app.url, { method: 'POST', path: MESSAGES, headers, body });

/** A `help` message bent by `change` (delete a field by setting it to undefined). */
function bent(change: (activity: Activity) => void) {
  return (h: TeamsHarness) => {
    const activity = helpActivity(h);
    change(activity);
    return post(h, JSON.stringify(activity));
  };
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

const BODY_CASES: TransportCase[] = [
  {
    name: 'a body declared larger than 256 KB → 413',
    send: (h) =>
      post(h, JSON.stringify({ ...helpActivity(h), text: `help ${'x'.repeat(300 * 1024)}` })),
    status: 413,
  },
  {
    name: 'a chunked body that grows past 256 KB without a Content-Length → 413',
    send: (h) =>
      rawRequest(h.app.url, {
        method: 'POST',
        path: MESSAGES,
        headers: { ...json, 'transfer-encoding': 'chunked' },
        body: Array.from({ length: 40 }, () => 'z'.repeat(8 * 1024)),
      }),
    status: 413,
  },
  { name: 'malformed JSON → 400', send: (h) => post(h, '{"type":"message","text":'), status: 400 },
  {
    name: 'a JSON array instead of an activity → 400',
    send: (h) => post(h, '[{"type":"message"}]'),
    status: 400,
  },
  { name: 'JSON null → 400', send: (h) => post(h, 'null'), status: 400 },
  {
    name: 'an activity nested 100,000 levels deep inside the size limit (stack exhaustion) → 400',
    send: (h) =>
      post(h, JSON.stringify(helpActivity(h)).replace(/}$/, `,"value":${nested(100_000)}}`)),
    status: 400,
  },
  {
    name: 'a JSON activity sent as text/plain → 415',
    send: (h) => post(h, JSON.stringify(helpActivity(h)), { 'content-type': 'text/plain' }),
    status: 415,
  },
  {
    name: 'an activity as an HTML form (application/x-www-form-urlencoded) → 415',
    send: (h) =>
      post(h, 'type=message&channelId=msteams&text=reset+lumia', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    status: 415,
  },
  {
    name: 'a multipart/form-data file upload → 415 (nothing written to a temp file)',
    send: (h) =>
      post(
        h,
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="../../evil.sh"\r\n' +
          'Content-Type: application/octet-stream\r\n\r\n#!/bin/sh\r\n--XyZ--\r\n',
        { 'content-type': 'multipart/form-data; boundary=XyZ' },
      ),
    status: 415,
  },
  {
    name: 'an XML body with an external entity (XXE) → 415',
    send: (h) =>
      post(
        h,
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        { 'content-type': 'application/xml' },
      ),
    status: 415,
  },
  {
    name: 'a JSON body with no Content-Type at all → 415',
    send: (h) => post(h, JSON.stringify(helpActivity(h)), {}),
    status: 415,
  },
  {
    name: 'GET /api/messages → 405',
    send: (h) => rawRequest(h.app.url, { path: MESSAGES }),
    status: 405,
  },
  {
    name: 'PUT /api/messages with an activity → 405',
    send: (h) =>
      rawRequest(h.app.url, {
        method: 'PUT',
        path: MESSAGES,
        headers: json,
        body: JSON.stringify(helpActivity(h)),
      }),
    status: 405,
  },
  {
    name: 'DELETE /api/messages → 405',
    send: (h) => rawRequest(h.app.url, { method: 'DELETE', path: MESSAGES }),
    status: 405,
  },
  {
    name: 'path traversal GET /../../etc/passwd → 404, no file content',
    send: (h) => rawRequest(h.app.url, { path: '/../../etc/passwd' }),
    status: 404,
  },
  {
    name: 'encoded path traversal GET /%2e%2e/%2e%2e/etc/passwd → 404',
    send: (h) => rawRequest(h.app.url, { path: '/%2e%2e/%2e%2e/etc/passwd' }),
    status: 404,
  },
  {
    name: 'traversal from a real route GET /healthz/..%2f..%2fpackage.json → 404',
    send: (h) => rawRequest(h.app.url, { path: '/healthz/..%2f..%2fpackage.json' }),
    status: 404,
  },
  {
    name: 'traversal to the settings file GET /api/messages/../../.env → 404',
    send: (h) => rawRequest(h.app.url, { path: '/api/messages/../../.env' }),
    status: 404,
  },
];

const MALFORMED_ACTIVITIES: TransportCase[] = [
  { name: 'no type → 400', send: bent((a) => delete a.type), status: 400 },
  { name: 'type is a number → 400', send: bent((a) => (a.type = 7)), status: 400 },
  { name: 'no from → 400', send: bent((a) => delete a.from), status: 400 },
  { name: 'no conversation → 400', send: bent((a) => delete a.conversation), status: 400 },
  { name: 'no recipient → 400', send: bent((a) => delete a.recipient), status: 400 },
  { name: 'no serviceUrl → 400', send: bent((a) => delete a.serviceUrl), status: 400 },
  {
    name: 'a file: serviceUrl (the bot would write to it) → 400',
    send: bent((a) => (a.serviceUrl = 'file:///etc/passwd')),
    status: 400,
  },
  { name: 'no channelId → 400', send: bent((a) => delete a.channelId), status: 400 },
  { name: 'text is an object → 400', send: bent((a) => (a.text = { $ne: null })), status: 400 },
  { name: 'entities is a string → 400', send: bent((a) => (a.entities = 'mention')), status: 400 },
  { name: 'entities holds null → 400', send: bent((a) => (a.entities = [null])), status: 400 },
  {
    name: 'from.aadObjectId is a number → 400',
    send: bent((a) => ((a.from as Activity).aadObjectId = 12345)),
    status: 400,
  },
  {
    name: 'conversation.tenantId is an object → 400',
    send: bent((a) => ((a.conversation as Activity).tenantId = { id: 'x' })),
    status: 400,
  },
  {
    name: 'channelData.tenant.id is an array → 400',
    send: bent((a) => (a.channelData = { tenant: { id: ['a', 'b'] } })),
    status: 400,
  },
];

describe('hostile: transport (real server over HTTP)', function () {
  this.timeout(30_000);
  let h: TeamsHarness;

  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await h?.close();
  });

  /** Sends, checks the status and that nothing reached the bot, Graph or the connector. */
  async function refusedUntouched(c: TransportCase): Promise<RawResponse> {
    const graphBefore = h.emulator.requests.length;
    const connectorBefore = h.connector.requests.length;
    const response = await c.send(h);
    assert.equal(response.status, c.status, response.body.slice(0, 300));
    assert.equal(h.emulator.requests.length, graphBefore, 'no Graph call');
    assert.equal(h.connector.requests.length, connectorBefore, 'no answer to anyone');
    assert.ok(!/root:|"name": ?"passcode-desk"|MicrosoftAppPassword/.test(response.body));
    assert.ok(!/\bat .+\.js:\d+/.test(response.body), 'no stack trace');
    return response;
  }

  for (const c of BODY_CASES) {
    it(`body/method/path: ${c.name}`, async () => {
      await guarded(h, async () => void (await refusedUntouched(c)));
    });
  }

  for (const c of MALFORMED_ACTIVITIES) {
    it(`malformed activity: ${c.name}`, async () => {
      await guarded(h, async () => {
        const response = await refusedUntouched(c);
        assert.match(response.body, /Not a Bot Framework activity/);
      });
    });
  }

  it('malformed activity: an unknown activity type is accepted and does nothing', async () => {
    await guarded(h, async () => {
      const c: TransportCase = {
        name: 'unknown type',
        send: bent((a) => (a.type = 'exfiltrate')),
        status: 200,
      };
      await refusedUntouched(c);
    });
  });

  for (const name of ['task/fetch', 'composeExtension/query', undefined]) {
    it(`malformed activity: an invoke named ${name ?? '(nothing)'} → 501, nothing processed`, async () => {
      await guarded(h, async () => {
        const activity = h.activities.rawInvoke(PEOPLE.megan, personalChat(PEOPLE.megan), {
          action: { type: 'Action.Execute', verb: 'confirm', data: { pendingActionId: 'x' } },
          commandId: 'reset',
          parameters: [{ name: 'query', value: 'lumia' }],
        });
        if (name) activity.name = name;
        else delete activity.name;
        const graphBefore = h.emulator.requests.length;
        const response = await post(h, JSON.stringify(activity));
        assert.equal(response.status, 501, response.body);
        assert.equal(h.emulator.requests.length, graphBefore, 'no Graph call');
      });
    });
  }

  it('body: a __proto__/constructor payload pollutes no prototype and help still answers', async () => {
    await guarded(h, async () => {
      const activity = JSON.stringify(helpActivity(h)).replace(
        /^{/,
        '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},',
      );
      const conversationId = personalChat(PEOPLE.megan).conversationId;
      const before = h.connector.sentTo(conversationId).length;
      const response = await post(h, activity);
      assert.equal(response.status, 200);
      const answers = h.connector.sentTo(conversationId).slice(before);
      assert.match(repliesText(answers), /What I can do/, 'treated as the plain help it is');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    });
  });
});

/** `inflatedBytes` of spaces, gzipped chunk by chunk (the test never holds them inflated). */
function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    gzip.on('end', () => resolve(Buffer.concat(parts)));
    gzip.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let written = 0;
    const writeMore = (): void => {
      while (written < inflatedBytes) {
        written += chunk.length;
        if (!gzip.write(chunk)) return void gzip.once('drain', writeMore);
      }
      gzip.end();
    };
    writeMore();
  });
}

/** Posts raw bytes (a compressed body), no authentication. */
function postBytes(url: string, body: Buffer, encoding: string): Promise<RawResponse> {
  return rawRequest(url, {
    method: 'POST',
    path: MESSAGES,
    headers: { ...json, 'content-encoding': encoding, 'content-length': String(body.length) },
    body: body.toString('latin1'),
    latin1: true,
  });
}

describe('hostile: compressed bodies (gzip bombs) are refused before they inflate', function () {
  this.timeout(60_000);
  let h: TeamsHarness;
  let bomb: Buffer;

  before(async () => {
    h = await startHostile();
    bomb = await gzipBomb(120 * 1024 * 1024);
  });
  after(async () => {
    await h?.close();
  });

  it('two 120 MB gzip bombs without a token → 415 each, memory stays bounded', async () => {
    assert.ok(bomb.length < 256 * 1024, 'the compressed body is inside the plain limit');
    await guarded(h, async () => {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      try {
        const responses = await Promise.all([
          postBytes(h.app.url, bomb, 'gzip'),
          postBytes(h.app.url, bomb, 'gzip'),
        ]);
        for (const response of responses) assert.equal(response.status, 415, response.body);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      // Inflating either body alone would take 120 MB (two: 240 MB and more for the strings).
      assert.ok(peak - before < 64 * 1024 * 1024, `rss grew ${(peak - before) >> 20} MB`);
    });
  });

  for (const encoding of ['deflate', 'br', 'x-gzip', 'GZIP', 'gzip, identity']) {
    it(`Content-Encoding: ${encoding} → 415 before the body is read`, async () => {
      await guarded(h, async () => {
        const response = await postBytes(h.app.url, bomb, encoding);
        assert.equal(response.status, 415, response.body);
        assert.match(response.body, /Compressed request bodies are not accepted/);
      });
    });
  }

  it('Content-Encoding: identity with a plain help activity still answers', async () => {
    await guarded(h, async () => {
      const activity = h.activities.message(PEOPLE.megan, personalChat(PEOPLE.megan), 'help');
      const response = await post(h, JSON.stringify(activity), {
        ...json,
        'content-encoding': 'identity',
      });
      assert.equal(response.status, 200, response.body);
    });
  });
});

describe('hostile: a failure while processing', () => {
  it('answers a plain 500 that quotes nothing of the error', async () => {
    const server = createServer({
      processMessage: async () => {
        throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
      },
      readiness: [],
      logger: silentLogger,
    });
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const activity = new TeamsActivities('http://127.0.0.1:9/', DEMO_TENANT.tenantId).message(
        PEOPLE.megan,
        personalChat(PEOPLE.megan),
        'help',
      );
      const response = await rawRequest(url, {
        method: 'POST',
        path: MESSAGES,
        headers: json,
        body: JSON.stringify(activity),
      });
      assert.equal(response.status, 500);
      assert.ok(!/hunter2|ECONNREFUSED|db\.internal/.test(response.body), response.body);
      assert.equal((await rawRequest(url, { path: '/healthz' })).status, 200);
    } finally {
      await closeServer(server);
    }
  });
});

describe('hostile: startup without authentication on a reachable address', () => {
  for (const host of ['0.0.0.0', '::', 'localhost.evil.example', '127.0.0.1.nip.io']) {
    it(`refuses to start with HOST=${host} and no MicrosoftAppId`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'passcode-desk-hostile-'));
      try {
        const config = loadConfig({
          GRAPH_BASE_URL: 'http://127.0.0.1:9',
          DATA_DIR: dataDir,
          HOST: host,
        });
        config.PORT = 0;
        await assert.rejects(
          startApp(config, { logger: silentLogger }),
          (e: unknown) => e instanceof ConfigError && e.variable === 'HOST',
        );
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
