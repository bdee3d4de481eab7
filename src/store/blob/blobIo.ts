import type { BlobClient } from '@azure/storage-blob';

/** The HTTP status of an Azure SDK error (RestError), if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A 404 about the container itself is an outage, not a missing document. */
export function isMissingContainer(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ContainerNotFound';
}

export interface BlobText {
  text: string;
  etag: string;
}

/** Downloads a whole blob as UTF-8; undefined when it does not exist. */
export async function downloadText(blob: BlobClient): Promise<BlobText | undefined> {
  try {
    const response = await blob.download();
    const stream = response.readableStreamBody;
    if (!stream) throw new Error(`Blob ${blob.name} came back without a body`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), etag: response.etag ?? '' };
  } catch (error) {
    if (statusOf(error) === 404 && !isMissingContainer(error)) return undefined;
    throw error;
  }
}
