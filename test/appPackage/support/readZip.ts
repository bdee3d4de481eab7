import { inflateRawSync } from 'node:zlib';
import { crc32 } from '../../../src/tools/crc32';

/** Reads a (non-ZIP64) archive through its central directory, checking sizes and CRCs. */
export interface ZipFile {
  name: string;
  method: number;
  data: Buffer;
}

export function readZip(zip: Buffer): ZipFile[] {
  const endOffset = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOffset < 0) throw new Error('No end of central directory record');
  const count = zip.readUInt16LE(endOffset + 10);
  const directorySize = zip.readUInt32LE(endOffset + 12);
  let offset = zip.readUInt32LE(endOffset + 16);
  if (offset + directorySize !== endOffset)
    throw new Error('Central directory does not end at the end record');
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`Bad central header ${i}`);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);

    if (zip.readUInt32LE(localOffset) !== 0x04034b50)
      throw new Error(`Bad local header for ${name}`);
    const localName = zip.toString(
      'utf8',
      localOffset + 30,
      localOffset + 30 + zip.readUInt16LE(localOffset + 26),
    );
    if (localName !== name) throw new Error(`Local name ${localName} differs from ${name}`);
    const start =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(body) : method === 0 ? Buffer.from(body) : undefined;
    if (!data) throw new Error(`Unsupported method ${method} for ${name}`);
    if (data.length !== size || crc32(data) !== crc)
      throw new Error(`Size or CRC mismatch for ${name}`);
    files.push({ name, method, data });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
