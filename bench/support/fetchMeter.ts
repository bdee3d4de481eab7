/**
 * Counts the HTTP round trips and response bytes of everything this process sends
 * through the global fetch (the Graph client's HTTPMessageHandler uses it).
 * Bytes come from Content-Length (the emulator always sends it); a response
 * without one is measured from a clone of its body.
 */
export interface FetchMeter {
  calls: number;
  bytes: number;
  reset(): void;
  uninstall(): void;
}

export function installFetchMeter(): FetchMeter {
  const original = globalThis.fetch;
  const meter: FetchMeter = {
    calls: 0,
    bytes: 0,
    reset() {
      meter.calls = 0;
      meter.bytes = 0;
    },
    uninstall() {
      globalThis.fetch = original;
    },
  };
  globalThis.fetch = async (input, init) => {
    meter.calls++;
    const response = await original(input, init);
    const length = response.headers.get('content-length');
    if (length !== null) meter.bytes += Number(length) || 0;
    else if (response.body) meter.bytes += (await response.clone().arrayBuffer()).byteLength;
    return response;
  };
  return meter;
}
