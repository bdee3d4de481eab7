import assert from 'node:assert/strict';
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  errorFromResponse,
  headerValue,
  retryAfterSeconds,
  toIntuneError,
} from '../../src/intune/graphErrors';
import { IntuneError } from '../../src/domain/ports/intune';

describe('intune/graphErrors', () => {
  it('reads headers from fetch Headers and from plain objects, case-insensitively', () => {
    assert.equal(headerValue(new Headers({ 'Request-Id': 'r1' }), 'request-id'), 'r1');
    assert.equal(headerValue({ 'Retry-After': '7' }, 'retry-after'), '7');
    assert.equal(headerValue(undefined, 'retry-after'), undefined);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(retryAfterSeconds({ 'retry-after': '3' }), 3);
    const now = Date.parse('2026-11-24T10:00:00Z');
    assert.equal(retryAfterSeconds({ 'Retry-After': 'Tue, 24 Nov 2026 10:00:05 GMT' }, now), 5);
    assert.equal(retryAfterSeconds({ 'Retry-After': 'soon' }), undefined);
    assert.equal(retryAfterSeconds({}), undefined);
  });

  it('builds an IntuneError from a Graph error body, preferring the request-id header', () => {
    const body = {
      error: {
        code: 'TooManyRequests',
        message: 'Slow down',
        innerError: { 'request-id': 'inner-id' },
      },
    };
    const fromHeader = errorFromResponse(429, body, {
      'request-id': 'header-id',
      'Retry-After': '2',
    });
    assert.equal(fromHeader.status, 429);
    assert.equal(fromHeader.code, 'TooManyRequests');
    assert.equal(fromHeader.requestId, 'header-id');
    assert.equal(fromHeader.retryAfterSeconds, 2);
    assert.equal(fromHeader.isThrottled, true);
    assert.equal(errorFromResponse(429, body, {}).requestId, 'inner-id');
  });

  it('gives a code and message when the body is not a Graph error', () => {
    const error = errorFromResponse(502, '<html>bad gateway</html>', undefined);
    assert.equal(error.code, 'http502');
    assert.match(error.message, /502/);
  });

  it('never carries a bearer token in the message', () => {
    const error = errorFromResponse(
      401,
      {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'Token Bearer eyJ0eXAi.abc.def is bad',
        },
      },
      {},
    );
    assert.ok(!error.message.includes('eyJ0eXAi'));
  });

  it('maps the library GraphError (status, code, requestId, headers)', () => {
    const graphError = new GraphError(404, 'Not found');
    graphError.code = 'ResourceNotFound';
    graphError.requestId = 'inner';
    graphError.headers = new Headers({ 'request-id': 'hdr', 'retry-after': '9' });
    const error = toIntuneError(graphError);
    assert.ok(error instanceof IntuneError);
    assert.deepEqual(
      [error.status, error.code, error.requestId, error.retryAfterSeconds, error.isNotFound],
      [404, 'ResourceNotFound', 'hdr', 9, true],
    );
  });

  it('maps a failure without an HTTP answer to status 0', () => {
    const network = new GraphError(-1, 'fetch failed');
    network.code = 'TypeError';
    assert.deepEqual(
      [toIntuneError(network).status, toIntuneError(network).code],
      [0, 'NetworkError'],
    );
    const timeout = new GraphError(-1, 'The operation was aborted due to timeout');
    timeout.code = 'TimeoutError';
    assert.equal(toIntuneError(timeout).code, 'Timeout');
    const token = new GraphError(-1, 'no token');
    token.code = 'TokenAcquisitionError';
    assert.equal(toIntuneError(token).code, 'TokenAcquisitionError');
  });
});
