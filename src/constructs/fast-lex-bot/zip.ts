// Reads the files of a .zip archive (stored or deflated entries, as Lex's export writes them) with node's zlib alone, so
// the jsii package takes no dependency for it. Format: PKWARE APPNOTE.TXT (end of central directory, central
// directory headers, local file headers).
import { inflateRawSync } from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Raised for an archive this reader cannot read; the message says what was found. */
export class ZipReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipReadError';
  }
}

/** The archive's files by path (folders left out), decompressed. */
export function readZip(data: Buffer, label: string): Map<string, Buffer> {
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE) { eocd = i; break; }
  }
  if (eocd < 0) throw new ZipReadError(`${label} is not a zip archive (no end of central directory record).`);
  const count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipReadError(`${label} is a ZIP64 archive; unzip it and give the folder instead.`);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (data.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw new ZipReadError(`${label}: central directory entry ${n} is damaged.`);
    const method = data.readUInt16LE(offset + 10);
    const compressedSize = data.readUInt32LE(offset + 20);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const localOffset = data.readUInt32LE(offset + 42);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength).replace(/\\/g, '/');
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (data.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw new ZipReadError(`${label}: the entry ${name} is damaged.`);
    const start = localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
    const raw = data.subarray(start, start + compressedSize);
    if (method === 0) files.set(name, Buffer.from(raw));
    else if (method === 8) files.set(name, inflateRawSync(raw));
    else throw new ZipReadError(`${label}: the entry ${name} uses compression method ${method}; only stored (0) and deflated (8) entries are read.`);
  }
  return files;
}
