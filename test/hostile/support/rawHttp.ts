import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given: no URL normalization of `..` or percent escapes. */
  path: string;
  headers?: Record<string, string>;
  /** Written in one piece, or chunk by chunk (chunked transfer, no Content-Length). */
  body?: string | string[];
  /** Write the body's characters as bytes 0-255 (a binary body such as gzip). */
  latin1?: boolean;
}

/** One HTTP request to `baseUrl` (http://127.0.0.1:port) with nothing cleaned up on the way. */
export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    // The server may answer (413, 415) and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const parts = Array.isArray(options.body) ? options.body : [options.body ?? ''];
    for (const part of parts) if (part) req.write(part, options.latin1 ? 'latin1' : 'utf8');
    req.end();
  });
}
