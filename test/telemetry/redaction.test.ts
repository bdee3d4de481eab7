import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Span } from '@opentelemetry/api';
import { stripOutgoingQuery } from '../../src/telemetry/redaction';

/** The one Span method the hook uses, recorded. */
function recordingSpan(): { span: Span; attributes: Record<string, unknown> } {
  const attributes: Record<string, unknown> = {};
  const span = {
    setAttribute(name: string, value: unknown) {
      attributes[name] = value;
      return span;
    },
  } as unknown as Span;
  return { span, attributes };
}

describe('telemetry: outgoing HTTP spans carry no query string', () => {
  let server: Server;
  let port: number;
  let incoming: IncomingMessage | undefined;

  before(async () => {
    server = createServer((req, res) => {
      incoming = req;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps scheme, host and path of a real outgoing request, and drops what a $filter held', async () => {
    const query =
      "$filter=contains(deviceName,'Lee Lumia') or userPrincipalName eq 'lee@contoso.com'";
    const outgoing = request(
      `http://127.0.0.1:${port}/v1.0/deviceManagement/managedDevices?${encodeURI(query)}`,
    );
    const { span, attributes } = recordingSpan();
    stripOutgoingQuery(span, outgoing);
    await new Promise<void>((resolve, reject) => {
      outgoing
        .on('response', (res) => res.resume().on('end', resolve))
        .on('error', reject)
        .end();
    });
    const url = `http://127.0.0.1:${port}/v1.0/deviceManagement/managedDevices`;
    assert.deepEqual(attributes, {
      'http.url': url,
      'url.full': url,
      'http.target': '/v1.0/deviceManagement/managedDevices',
    });
    assert.doesNotMatch(JSON.stringify(attributes), /Lumia|contoso|filter/);
  });

  it('leaves incoming requests alone', () => {
    assert.ok(incoming, 'the server saw the request');
    const { span, attributes } = recordingSpan();
    stripOutgoingQuery(span, incoming);
    assert.deepEqual(attributes, {});
  });
});
