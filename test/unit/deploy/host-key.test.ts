/** Host key checking as OpenSSH does it: known_hosts (plain, hashed, [host]:port, patterns), pinning, accept-new. */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyTypeOfBlob, knownKeysFor, sha256Fingerprint, verifyHostKey } from '../../../src/deploy/ssh/host-key.js';

function blob(type: string, body: Buffer): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, body]);
}

const keyA = blob('ssh-ed25519', randomBytes(36));
const keyB = blob('ssh-ed25519', randomBytes(36));

describe('host keys', () => {
  it('fingerprints like ssh-keygen -l -E sha256 and reads the key type', () => {
    expect(sha256Fingerprint(keyA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyTypeOfBlob(keyA)).toBe('ssh-ed25519');
  });

  it('matches plain, [host]:port, hashed, pattern and negated entries', () => {
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.9]:2222').digest('base64')}`;
    const text = [
      '# comment',
      `10.0.0.1,web ssh-ed25519 ${keyA.toString('base64')}`,
      `[10.0.0.2]:2222 ssh-ed25519 ${keyA.toString('base64')}`,
      `${hashed} ssh-ed25519 ${keyB.toString('base64')}`,
      `10.1.*,!10.1.0.7 ssh-ed25519 ${keyB.toString('base64')}`,
      `@revoked 10.0.0.3 ssh-ed25519 ${keyB.toString('base64')}`,
    ].join('\n');
    expect(knownKeysFor(text, '10.0.0.1', 22).keys.has(keyA.toString('base64'))).toBe(true);
    expect(knownKeysFor(text, '10.0.0.2', 22).keys.size).toBe(0);
    expect(knownKeysFor(text, '10.0.0.2', 2222).keys.size).toBe(1);
    expect(knownKeysFor(text, '10.0.0.9', 2222).keys.has(keyB.toString('base64'))).toBe(true);
    expect(knownKeysFor(text, '10.1.3.4', 22).keys.size).toBe(1);
    expect(knownKeysFor(text, '10.1.0.7', 22).keys.size).toBe(0);
    expect(knownKeysFor(text, '10.0.0.3', 22).revoked.size).toBe(1);
  });

  it('refuses unknown and changed keys from known_hosts; pins; accept_new adds unknown keys only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-hostkey-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `h1 ssh-ed25519 ${keyA.toString('base64')}\n`);
    expect(verifyHostKey({ kind: 'known_hosts', file }, 'h1', 22, keyA, 'ssh-ed25519').accepted).toBe(true);
    expect(verifyHostKey({ kind: 'known_hosts', file }, 'h1', 22, keyB, 'ssh-ed25519').reason).toMatch(/CHANGED/);
    expect(verifyHostKey({ kind: 'known_hosts', file }, 'h2', 22, keyB, 'ssh-ed25519').reason).toMatch(/^unknown host key SHA256:.* h2 is not in/);
    expect(verifyHostKey({ kind: 'fingerprint', sha256: sha256Fingerprint(keyA) }, 'h', 22, keyA, 'ssh-ed25519').accepted).toBe(true);
    expect(verifyHostKey({ kind: 'fingerprint', sha256: sha256Fingerprint(keyA).slice(7) }, 'h', 22, keyB, 'ssh-ed25519').accepted).toBe(false);
    expect(verifyHostKey({ kind: 'accept_new', file }, 'h1', 22, keyB, 'ssh-ed25519').accepted).toBe(false);
    expect(verifyHostKey({ kind: 'accept_new', file }, 'h3', 2200, keyB, 'ssh-ed25519').accepted).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`[h3]:2200 ssh-ed25519 ${keyB.toString('base64')}\n`);
    expect(verifyHostKey({ kind: 'accept_new', file }, 'h3', 2200, keyB, 'ssh-ed25519').reason).toMatch(/listed in/);
  });
});
