/**
 * The subunit v2 parser on streams the real stestr and tempest wrote here (test/fixtures/subunit,
 * see its README), checked packet by packet against python-subunit's own reading when it is
 * installed, and on damaged streams: each must stop with a clear error at the right byte.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SubunitParseError, crc32, parseSubunit, type SubunitEvent, type SubunitPacket } from '../../../src/verify/subunit.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/subunit');

async function parseAll(source: Readable | AsyncIterable<Uint8Array>): Promise<SubunitEvent[]> {
  const events: SubunitEvent[] = [];
  for await (const event of parseSubunit(source)) events.push(event);
  return events;
}

function packets(events: SubunitEvent[]): SubunitPacket[] {
  return events.filter((e): e is SubunitPacket => e.kind === 'packet');
}

/** The file in chunks of `size` bytes: packets split at every possible place across chunks. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function parseError(file: string): Promise<SubunitParseError> {
  try {
    await parseAll(createReadStream(join(fixtures, file)));
  } catch (err) {
    if (err instanceof SubunitParseError) return err;
    throw err;
  }
  throw new Error(`${file} parsed without error`);
}

describe('crc32', () => {
  it('is the IEEE CRC32 zlib computes', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('parseSubunit on real streams', () => {
  it('reads every packet of the stestr stream of all statuses', async () => {
    const events = await parseAll(createReadStream(join(fixtures, 'stestr-statuses.subunit')));
    const all = packets(events);
    expect(all).toHaveLength(44);
    expect(events.every((e) => e.kind === 'packet')).toBe(true);
    const statuses = new Set(all.map((p) => p.status).filter(Boolean));
    expect([...statuses].sort()).toEqual(['exists', 'fail', 'inprogress', 'skip', 'success', 'uxsuccess', 'xfail']);
    const setup = all.find((p) => p.testId === 'setUpClass (tests.test_statuses.BrokenSetupTest)' && p.status === 'fail');
    expect(setup).toBeDefined();
    const reason = all.find((p) => p.testId === 'tests.test_statuses.StatusesTest.test_skipped' && p.fileName === 'reason');
    expect(new TextDecoder().decode(reason!.fileBytes)).toBe('not on this cloud: feature disabled');
    expect(reason!.mimeType).toContain('text/plain');
    expect(all[0]!.tags).toEqual(['worker-0']);
    expect(all[0]!.routeCode).toBe('0');
    expect(all[0]!.runnable).toBe(true);
    expect(all[0]!.timestamp).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('gives the same packets whatever the chunk boundaries', async () => {
    const bytes = readFileSync(join(fixtures, 'tempest-identity-tokens.subunit'));
    const whole = packets(await parseAll(chunked(bytes, bytes.length)));
    for (const size of [1, 3, 7, 64, 1000]) {
      const split = packets(await parseAll(chunked(bytes, size)));
      expect(split.map((p) => [p.offset, p.testId, p.status, p.fileName, p.fileBytes?.length])).toEqual(
        whole.map((p) => [p.offset, p.testId, p.status, p.fileName, p.fileBytes?.length]),
      );
    }
  });

  const python = '/usr/bin/python3';
  const hasPythonSubunit = existsSync(python) && spawnSync(python, ['-c', 'import subunit'], { stdio: 'ignore' }).status === 0;

  it.skipIf(!hasPythonSubunit)('agrees with python-subunit packet by packet on the real tempest stream', async () => {
    const file = join(fixtures, 'tempest-identity-tokens.subunit');
    const script = [
      'import json, sys, subunit, testtools',
      'out = []',
      'class R(testtools.StreamResult):',
      '    def status(self, test_id=None, test_status=None, test_tags=None, file_name=None, file_bytes=None, timestamp=None, eof=False, mime_type=None, route_code=None, runnable=True):',
      '        out.append([test_id, test_status, sorted(test_tags) if test_tags else None, file_name, len(file_bytes) if file_bytes is not None else None, timestamp.timestamp() if timestamp else None, eof, mime_type, route_code])',
      'subunit.ByteStreamToStreamResult(open(sys.argv[1], "rb"), non_subunit_name="stdout").run(R())',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const theirs = JSON.parse(run.stdout) as unknown[][];
    const ours = packets(await parseAll(createReadStream(file))).map((p) => [
      p.testId ?? null,
      p.status ?? null,
      p.tags ? [...p.tags].sort() : null,
      p.fileName ?? null,
      p.fileBytes ? p.fileBytes.length : null,
      p.timestamp !== undefined ? p.timestamp / 1000 : null,
      p.eof,
      p.mimeType ?? null,
      p.routeCode ?? null,
    ]);
    expect(ours).toHaveLength(theirs.length);
    for (let i = 0; i < ours.length; i++) {
      const [ts, ...rest] = [ours[i]![5], ...ours[i]!.filter((_, k) => k !== 5)];
      const [theirTs, ...theirRest] = [theirs[i]![5], ...theirs[i]!.filter((_, k) => k !== 5)];
      expect(rest).toEqual(theirRest);
      expect(Math.abs((ts as number) - (theirTs as number))).toBeLessThan(1e-5);
    }
  });

  it('passes text between packets on as output', async () => {
    const bytes = readFileSync(join(fixtures, 'stestr-statuses.subunit'));
    const noise = new TextEncoder().encode('WARNING: a stray print from a worker\n');
    const mixed = new Uint8Array(noise.length + bytes.length);
    mixed.set(noise, 0);
    mixed.set(bytes, noise.length);
    const events = await parseAll(chunked(mixed, 5));
    expect(events[0]).toMatchObject({ kind: 'output', offset: 0 });
    expect(events.filter((e) => e.kind === 'output').map((e) => (e as { text: string }).text).join('')).toBe('WARNING: a stray print from a worker\n');
    expect(packets(events)).toHaveLength(44);
    await expect(
      (async () => {
        for await (const _ of parseSubunit(chunked(mixed, 5), { strict: true })) void _;
      })(),
    ).rejects.toThrow(/byte 0: expected a packet signature 0xb3, found 0x57/);
  });
});

describe('parseSubunit on damaged streams', () => {
  it('a stream cut in the middle of a packet: truncated, at the packet start', async () => {
    const err = await parseError('damaged-truncated.subunit');
    expect(err.offset).toBe(236);
    expect(err.message).toMatch(/damaged subunit v2 stream at byte 236: truncated packet: the stream ends after 37 of 74 bytes/);
  });

  it('a flipped bit: bad CRC32, at the packet start', async () => {
    const err = await parseError('damaged-bad-crc.subunit');
    expect(err.offset).toBe(236);
    expect(err.message).toMatch(/at byte 236: bad CRC32 in the packet starting here: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
  });

  it('a binary byte where a packet must start: bad signature, at that byte', async () => {
    const err = await parseError('damaged-bad-signature.subunit');
    expect(err.offset).toBe(236);
    expect(err.message).toMatch(/at byte 236: expected a packet signature 0xb3, found 0x00/);
  });

  it('names the source, and refuses other versions and impossible lengths', async () => {
    const bytes = readFileSync(join(fixtures, 'stestr-statuses.subunit'));
    const v1 = Uint8Array.from(bytes);
    v1[75] = (v1[75]! & 0x0f) | 0x10;
    await expect(
      (async () => {
        for await (const _ of parseSubunit(chunked(v1, 100), { source: 'run.subunit' })) void _;
      })(),
    ).rejects.toThrow(/^run\.subunit: damaged subunit v2 stream at byte 75: unsupported subunit version 1/);
    const short = Uint8Array.from([0xb3, 0x20, 0x00, 0x02, 0, 0, 0, 0]);
    await expect(parseAll(chunked(short, 8))).rejects.toThrow(/at byte 3: impossible packet length 2/);
    await expect(parseAll(chunked(Uint8Array.from([0xb3, 0x20]), 8))).rejects.toThrow(/at byte 0: truncated packet: the stream ends after 2 of a packet header/);
  });
});
