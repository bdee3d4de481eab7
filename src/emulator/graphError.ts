/** A Graph-style failure raised by a handler; the pipeline renders it as Graph's error body. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const badRequest = (message: string): GraphError =>
  new GraphError(400, 'BadRequest', message);

export const notFound = (message: string, code = 'ResourceNotFound'): GraphError =>
  new GraphError(404, code, message);

/** The `code` Graph tends to use for a bare status. */
export function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'InvalidAuthenticationToken',
    403: 'Forbidden',
    404: 'ResourceNotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    413: 'RequestEntityTooLarge',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return codes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
}

export interface ErrorContext {
  requestId: string;
  clientRequestId: string;
  date: Date;
}

/** `{"error":{"code","message","innerError":{"request-id","date","client-request-id"}}}` */
export function errorBody(code: string, message: string, context: ErrorContext): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: context.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId,
      },
    },
  };
}
