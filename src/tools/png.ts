import { deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from './crc32';

/**
 * A tiny PNG codec for the app icons: 8-bit RGBA only, which is all the Teams
 * package needs. Encoding uses filter 0; decoding handles every filter type so
 * tests can read icons made by any tool.
 */
export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row by row. */
  pixels: Uint8Array;
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 2 = RGB, 6 = RGBA, 3 = palette, 0 = grey, 4 = grey + alpha. */
  colorType: number;
  interlace: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4)
    throw new Error('pixels must hold width * height RGBA values');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const offset = y * (width * 4 + 1);
    rows[offset] = 0;
    rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), offset + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function readPngHeader(png: Buffer): PngHeader {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG file');
  if (png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('PNG does not start with IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colorType: png.readUInt8(25),
    interlace: png.readUInt8(28),
  };
}

/** Decodes non-interlaced 8-bit RGBA or RGB PNGs (checking every chunk CRC). */
export function decodePng(png: Buffer): RgbaImage {
  const header = readPngHeader(png);
  const channels = header.colorType === 6 ? 4 : header.colorType === 2 ? 3 : 0;
  if (header.bitDepth !== 8 || channels === 0 || header.interlace !== 0) {
    throw new Error('Only non-interlaced 8-bit RGB/RGBA PNGs are supported');
  }
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (png.readUInt32BE(end) !== crc32(png.subarray(offset + 4, end)))
      throw new Error(`Bad CRC in ${type}`);
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, end));
    offset = end + 4;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const { width, height } = header;
  const stride = width * channels;
  const unfiltered = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? unfiltered[y * stride + x - channels]! : 0;
      const up = y > 0 ? unfiltered[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? unfiltered[(y - 1) * stride + x - channels]! : 0;
      unfiltered[y * stride + x] = (line[x]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 4] = unfiltered[i * channels]!;
    pixels[i * 4 + 1] = unfiltered[i * channels + 1]!;
    pixels[i * 4 + 2] = unfiltered[i * channels + 2]!;
    pixels[i * 4 + 3] = channels === 4 ? unfiltered[i * channels + 3]! : 255;
  }
  return { width, height, pixels };
}

function predict(filter: number | undefined, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      throw new Error(`Unknown PNG filter ${String(filter)}`);
  }
}
