/**
 * A streaming subunit v2 parser (the binary protocol stestr and `tempest run --subunit` write).
 *
 * Packet: signature 0xB3, 16-bit flags (version 0x2 in the top nibble, field-present bits, test
 * status in the low 3 bits), a varint total length (signature to CRC inclusive, at most 3 bytes),
 * the optional fields in fixed order (timestamp, test id, tags, mime type, file content, route
 * code) and a big-endian CRC32 of everything before it. Varints: the top 2 bits of the first byte
 * say how many bytes follow (0-3), the rest is the big-endian value.
 *
 * Bytes between packets that are text (a worker's stray print) are passed on as `output` events,
 * like python-subunit's "non-subunit" content. A damaged stream (a binary byte where a packet must
 * start, a bad CRC, a packet cut short) stops the parse with SubunitParseError and its byte offset:
 * guessing where the next packet starts would turn damage into wrong results.
 */
import type { Readable } from 'node:stream';

export type SubunitTestStatus = 'exists' | 'inprogress' | 'success' | 'uxsuccess' | 'skip' | 'fail' | 'xfail';

const STATUS_BY_CODE: ReadonlyArray<SubunitTestStatus | undefined> = [
  undefined,
  'exists',
  'inprogress',
  'success',
  'uxsuccess',
  'skip',
  'fail',
  'xfail',
];

const SIGNATURE = 0xb3;
const VERSION_2 = 0x2;
const FLAG_TEST_ID = 0x0800;
const FLAG_ROUTE_CODE = 0x0400;
const FLAG_TIMESTAMP = 0x0200;
const FLAG_RUNNABLE = 0x0100;
const FLAG_TAGS = 0x0080;
const FLAG_FILE_CONTENT = 0x0040;
const FLAG_MIME_TYPE = 0x0020;
const FLAG_EOF = 0x0010;
/** The spec's limit on one packet (python-subunit's PACKET_MAXIMUM_LENGTH). */
const MAX_PACKET_LENGTH = 4 * 1024 * 1024;
/** signature + flags + 1-byte length + CRC */
const MIN_PACKET_LENGTH = 8;

/** One packet, decoded. Absent fields were absent in the packet. */
export interface SubunitPacket {
  kind: 'packet';
  /** byte offset of the packet's signature in the stream */
  offset: number;
  testId?: string;
  status?: SubunitTestStatus;
  /** epoch milliseconds (with the nanoseconds as a fraction) */
  timestamp?: number;
  tags?: string[];
  mimeType?: string;
  fileName?: string;
  fileBytes?: Uint8Array;
  eof: boolean;
  runnable: boolean;
  routeCode?: string;
}

/** Text found between packets (not subunit). */
export interface SubunitOutput {
  kind: 'output';
  offset: number;
  text: string;
}

export type SubunitEvent = SubunitPacket | SubunitOutput;

/** A damaged or non-subunit stream. `offset` is the byte where the problem is. */
export class SubunitParseError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}damaged subunit v2 stream at byte ${offset}: ${reason}`);
    this.name = 'SubunitParseError';
  }
}

// ---- CRC32 (IEEE 802.3, the one zlib.crc32 computes)

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---- packet decoding

/** Reads fields of one packet body; every read is bounds-checked against the packet's end. */
class PacketReader {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
    private readonly streamOffset: number,
  ) {}

  fail(reason: string): never {
    throw new SubunitParseError(reason, this.streamOffset + this.pos);
  }

  need(count: number, what: string): void {
    if (this.pos + count > this.end) this.fail(`${what} runs past the end of the packet`);
  }

  varint(what: string): number {
    this.need(1, what);
    const first = this.bytes[this.pos]!;
    const extra = first >> 6;
    this.need(1 + extra, what);
    let value = first & 0x3f;
    for (let i = 1; i <= extra; i++) value = value * 256 + this.bytes[this.pos + i]!;
    this.pos += 1 + extra;
    return value;
  }

  uint32(what: string): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  raw(length: number, what: string): Uint8Array {
    this.need(length, what);
    const out = this.bytes.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(what: string): string {
    const length = this.varint(`${what} length`);
    const at = this.pos;
    const raw = this.raw(length, what);
    try {
      return this.utf8.decode(raw);
    } catch {
      throw new SubunitParseError(`${what} is not valid UTF-8`, this.streamOffset + at);
    }
  }
}

/** The total length a packet header announces, or undefined when the header is not complete yet. */
function announcedLength(bytes: Uint8Array, start: number, available: number, offset: number): number | undefined {
  if (available < 4) return undefined;
  const first = bytes[start + 3]!;
  const extra = first >> 6;
  if (extra > 2) throw new SubunitParseError('packet length is a 4-byte varint (at most 3 bytes are allowed)', offset + 3);
  if (available < 4 + extra) return undefined;
  let length = first & 0x3f;
  for (let i = 1; i <= extra; i++) length = length * 256 + bytes[start + 3 + i]!;
  return length;
}

function decodePacket(bytes: Uint8Array, start: number, length: number, offset: number): SubunitPacket {
  const end = start + length;
  const stored = ((bytes[end - 4]! << 24) | (bytes[end - 3]! << 16) | (bytes[end - 2]! << 8) | bytes[end - 1]!) >>> 0;
  const computed = crc32(bytes, start, end - 4);
  if (stored !== computed) {
    throw new SubunitParseError(
      `bad CRC32 in the packet starting here: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}`,
      offset,
    );
  }
  const flags = (bytes[start + 1]! << 8) | bytes[start + 2]!;
  const reader = new PacketReader(bytes, start + 4 + (bytes[start + 3]! >> 6), end - 4, offset - start);
  const packet: SubunitPacket = { kind: 'packet', offset, eof: (flags & FLAG_EOF) !== 0, runnable: (flags & FLAG_RUNNABLE) !== 0 };
  if (flags & FLAG_TIMESTAMP) {
    const seconds = reader.uint32('timestamp');
    const nanos = reader.varint('timestamp nanoseconds');
    packet.timestamp = seconds * 1000 + nanos / 1e6;
  }
  if (flags & FLAG_TEST_ID) packet.testId = reader.string('test id');
  if (flags & FLAG_TAGS) {
    const count = reader.varint('tag count');
    const tags: string[] = [];
    for (let i = 0; i < count; i++) tags.push(reader.string('tag'));
    packet.tags = tags;
  }
  if (flags & FLAG_MIME_TYPE) packet.mimeType = reader.string('mime type');
  if (flags & FLAG_FILE_CONTENT) {
    packet.fileName = reader.string('file name');
    const size = reader.varint('file content length');
    packet.fileBytes = reader.raw(size, 'file content');
  }
  if (flags & FLAG_ROUTE_CODE) packet.routeCode = reader.string('route code');
  const status = STATUS_BY_CODE[flags & 0x7];
  if (status !== undefined) packet.status = status;
  return packet;
}

/** True for bytes that can be part of printed text: UTF-8 (>= 0x80 other than the signature), printable ASCII, tab, CR, LF. */
function isTextByte(byte: number): boolean {
  return byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f && byte !== SIGNATURE);
}

export interface SubunitParseOptions {
  /** named in errors, e.g. the file or command the stream came from */
  source?: string;
  /** refuse any byte between packets (default: text is passed on as `output` events) */
  strict?: boolean;
}

/**
 * Parses a subunit v2 byte stream as it arrives, yielding each packet (and stray text) in order.
 * Throws SubunitParseError on damage, with the byte offset.
 */
export async function* parseSubunit(input: Readable | AsyncIterable<Uint8Array | string>, options: SubunitParseOptions = {}): AsyncGenerator<SubunitEvent> {
  let buffer = new Uint8Array(0);
  /** stream offset of buffer[0] */
  let base = 0;
  let textStart = -1;
  const textDecoder = new TextDecoder('utf-8');
  const withSource = (err: unknown): unknown =>
    err instanceof SubunitParseError && options.source !== undefined && err.source === undefined
      ? new SubunitParseError(err.reason, err.offset, options.source)
      : err;

  function* drain(final: boolean): Generator<SubunitEvent> {
    let pos = 0;
    const flushText = function* (until: number): Generator<SubunitEvent> {
      if (textStart >= 0 && until > textStart) {
        yield { kind: 'output', offset: base + textStart, text: textDecoder.decode(buffer.subarray(textStart, until), { stream: true }) };
      }
      textStart = -1;
    };
    while (pos < buffer.length) {
      const byte = buffer[pos]!;
      if (byte !== SIGNATURE) {
        if (options.strict || !isTextByte(byte)) {
          throw new SubunitParseError(`expected a packet signature 0xb3, found 0x${byte.toString(16).padStart(2, '0')}`, base + pos);
        }
        if (textStart < 0) textStart = pos;
        pos++;
        continue;
      }
      yield* flushText(pos);
      const available = buffer.length - pos;
      if (available >= 3) {
        const version = buffer[pos + 1]! >> 4;
        if (version !== VERSION_2) throw new SubunitParseError(`unsupported subunit version ${version} in the flags (expected 2)`, base + pos + 1);
      }
      const length = announcedLength(buffer, pos, available, base + pos);
      if (length !== undefined && (length < MIN_PACKET_LENGTH || length > MAX_PACKET_LENGTH)) {
        throw new SubunitParseError(`impossible packet length ${length} (allowed ${MIN_PACKET_LENGTH} to ${MAX_PACKET_LENGTH})`, base + pos + 3);
      }
      if (length === undefined || available < length) {
        if (final) {
          const wanted = length === undefined ? 'a packet header' : `${length} bytes`;
          throw new SubunitParseError(`truncated packet: the stream ends after ${available} of ${wanted}`, base + pos);
        }
        break;
      }
      yield decodePacket(buffer, pos, length, base + pos);
      pos += length;
    }
    // text still open at the end of what we have: emit it, keep the rest
    if (textStart >= 0 && (final || pos === buffer.length)) yield* flushText(pos);
    const keepFrom = textStart >= 0 ? Math.min(textStart, pos) : pos;
    if (textStart >= 0) textStart -= keepFrom;
    buffer = buffer.slice(keepFrom);
    base += keepFrom;
  }

  try {
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      const merged = new Uint8Array(buffer.length + bytes.length);
      merged.set(buffer, 0);
      merged.set(bytes, buffer.length);
      buffer = merged;
      yield* drain(false);
    }
    yield* drain(true);
  } catch (err) {
    throw withSource(err);
  }
}
