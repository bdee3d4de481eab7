import assert from 'node:assert/strict';
import { DevTokenSource, StaticTokenSource } from '../../src/intune/credentials';
import { GraphIntune } from '../../src/intune/graphIntune';
import { IntuneError } from '../../src/domain/ports/intune';
import { FAST, startStandIn, type StandIn } from './harness';

const devices = [
  {
    id: 'a',
    deviceName: 'Lumia 950',
    serialNumber: 'SN-A-0001',
    userPrincipalName: 'a@contoso.com',
  },
  {
    id: 'b',
    deviceName: 'DESKTOP-42',
    serialNumber: 'SN-B-0002',
    userPrincipalName: 'b@contoso.com',
  },
  {
    id: 'c',
    deviceName: "Megan's iPhone",
    serialNumber: 'SN12345',
    userPrincipalName: 'c@contoso.com',
  },
];

/** A Graph that silently ignores every $filter: each list answer is every device. */
async function filterIgnoringGraph(): Promise<StandIn> {
  return startStandIn((request) => {
    if (request.url.startsWith('/v1.0/$batch')) {
      const { requests } = JSON.parse(request.body) as { requests: Array<{ id: string }> };
      return {
        status: 200,
        body: {
          responses: requests.map((r) => ({
            id: r.id,
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: { value: devices },
          })),
        },
      };
    }
    return { status: 200, body: { value: devices } };
  });
}

describe('GraphIntune against a hand-written Graph stand-in', () => {
  it('re-checks every result on the client: an ignored filter does not return every device', async () => {
    const graph = await filterIgnoringGraph();
    try {
      const intune = new GraphIntune({
        ...FAST,
        baseUrl: graph.url,
        tokenSource: new DevTokenSource(graph.url),
      });
      const byName = await intune.searchDevices('lumia', 10);
      assert.deepEqual(
        byName.devices.map((d) => d.id),
        ['a'],
      );
      const byUpn = await intune.searchDevices('B@contoso.com', 10);
      assert.deepEqual(
        byUpn.devices.map((d) => d.id),
        ['b'],
      );
      // Serial-like: one $batch; the sub-responses' lower-case content-type header is read too.
      const bySerial = await intune.searchDevices('sn12345', 10);
      assert.deepEqual(
        bySerial.devices.map((d) => d.id),
        ['c'],
      );
      assert.equal(graph.requests.length, 3);
    } finally {
      await graph.close();
    }
  });

  it('refuses to follow a nextLink to another origin (the token stays home)', async () => {
    const elsewhere = await startStandIn(() => ({ status: 200, body: { value: devices } }));
    const graph = await startStandIn(() => ({
      status: 200,
      body: {
        value: [devices[0]],
        '@odata.nextLink': `${elsewhere.url}/beta/deviceManagement/managedDevices?$skiptoken=x`,
      },
    }));
    try {
      const intune = new GraphIntune({
        ...FAST,
        baseUrl: graph.url,
        tokenSource: new StaticTokenSource('user-token'),
      });
      await assert.rejects(
        // Digits only: no people search, so one plain GET.
        intune.searchDevices('950', 10),
        (e: unknown) =>
          e instanceof IntuneError &&
          e.code === 'GraphOriginError' &&
          !e.message.includes('user-token'),
      );
      assert.equal(elsewhere.requests.length, 0);
      assert.equal(graph.requests[0]?.authorization, 'Bearer user-token');
    } finally {
      await Promise.all([graph.close(), elsewhere.close()]);
    }
  });

  it('maps an error answer that is not JSON', async () => {
    const graph = await startStandIn(() => ({ status: 502, body: undefined }));
    try {
      const intune = new GraphIntune({
        ...FAST,
        baseUrl: graph.url,
        tokenSource: new DevTokenSource(graph.url),
      });
      await assert.rejects(
        intune.getResetResult('a'),
        (e: unknown) => e instanceof IntuneError && e.status === 502,
      );
    } finally {
      await graph.close();
    }
  });

  it('reports an unreachable Graph as status 0 NetworkError', async () => {
    const graph = await startStandIn(() => ({ status: 200, body: {} }));
    await graph.close();
    const intune = new GraphIntune({
      ...FAST,
      baseUrl: graph.url,
      tokenSource: new DevTokenSource(graph.url),
    });
    await assert.rejects(
      intune.ping(),
      (e: unknown) => e instanceof IntuneError && e.status === 0 && e.code === 'NetworkError',
    );
  });

  it('gives each attempt a deadline: a Graph that never answers is an IntuneError Timeout', async () => {
    const graph = await startStandIn(() => 'hang');
    try {
      const intune = new GraphIntune({
        ...FAST,
        requestTimeoutMs: 200,
        baseUrl: graph.url,
        tokenSource: new DevTokenSource(graph.url),
      });
      await assert.rejects(
        intune.ping(),
        (e: unknown) => e instanceof IntuneError && e.status === 0 && e.code === 'Timeout',
      );
    } finally {
      await graph.close();
    }
  });

  it('drops a reading Graph refuses (400) when the other one answered, and fails when all are refused', async () => {
    const refuseSerial = (refuseAll: boolean) => async () =>
      startStandIn((request) => {
        const { requests } = JSON.parse(request.body) as {
          requests: Array<{ id: string; url: string }>;
        };
        return {
          status: 200,
          body: {
            responses: requests.map((r) =>
              refuseAll || r.url.includes('filter=serialNumber')
                ? {
                    id: r.id,
                    status: 400,
                    headers: { 'Content-Type': 'application/json' },
                    body: { error: { code: 'BadRequest', message: 'Invalid filter' } },
                  }
                : {
                    id: r.id,
                    status: 200,
                    headers: { 'Content-Type': 'application/json' },
                    body: { value: devices },
                  },
            ),
          },
        };
      });
    const partly = await refuseSerial(false)();
    const fully = await refuseSerial(true)();
    try {
      const one = new GraphIntune({
        ...FAST,
        baseUrl: partly.url,
        tokenSource: new DevTokenSource(partly.url),
      });
      const result = await one.searchDevices('DESKTOP-42', 10);
      assert.deepEqual(
        result.devices.map((d) => d.id),
        ['b'],
      );
      const none = new GraphIntune({
        ...FAST,
        baseUrl: fully.url,
        tokenSource: new DevTokenSource(fully.url),
      });
      await assert.rejects(
        none.searchDevices('DESKTOP-42', 10),
        (e: unknown) => e instanceof IntuneError && e.status === 400,
      );
    } finally {
      await Promise.all([partly.close(), fully.close()]);
    }
  });
});
