/**
 * Host key checking, as OpenSSH's client does it: the server's key must be listed for the host in a
 * known_hosts file (plain or hashed names, `[host]:port` for non-22 ports, `*`/`?` patterns,
 * `!negation`, `@revoked`), or match a pinned SHA256 fingerprint. Accepting an unknown key is an
 * explicit choice (`accept_new`, OpenSSH's StrictHostKeyChecking=accept-new): a key that differs
 * from a listed one is refused even then.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type HostKeyPolicy =
  /** the key must be listed in this known_hosts file */
  | { kind: 'known_hosts'; file: string }
  /** the key's SHA256 fingerprint ("SHA256:base64", as `ssh-keygen -lf` prints it) */
  | { kind: 'fingerprint'; sha256: string }
  /** an unlisted key is accepted (and appended to `file` when given); a changed key is refused */
  | { kind: 'accept_new'; file?: string };

export interface HostKeyVerdict {
  accepted: boolean;
  fingerprint: string;
  /** why it was refused, or a note on how it was accepted */
  reason: string;
}

/** "SHA256:..." of a public key blob (base64 without padding, as OpenSSH prints it). */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The name a host has in known_hosts: "host" for port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedNameMatches(entry: string, name: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const parts = entry.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  return createHmac('sha1', salt).update(name).digest('base64') === parts[3];
}

/** Does a known_hosts host field ("a,b,[c]:2222,!d" or "|1|...") name this host? */
function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedNameMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}

interface KnownHostsEntries {
  /** base64 key blobs listed for the host */
  keys: Set<string>;
  revoked: Set<string>;
}

export function knownKeysFor(knownHostsText: string, host: string, port: number): KnownHostsEntries {
  const name = knownHostsName(host, port);
  const keys = new Set<string>();
  const revoked = new Set<string>();
  for (const raw of knownHostsText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    const [hosts, , blob] = fields;
    if (hosts === undefined || blob === undefined || marker === '@cert-authority') continue;
    if (!hostFieldMatches(hosts, name)) continue;
    (marker === '@revoked' ? revoked : keys).add(blob);
  }
  return { keys, revoked };
}

function readKnownHosts(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * Judges the key a server presented. `keyBlob` is the SSH wire form of the public key; `keyType`
 * its algorithm name (for the line appended under accept_new).
 */
export function verifyHostKey(policy: HostKeyPolicy, host: string, port: number, keyBlob: Buffer, keyType: string): HostKeyVerdict {
  const fingerprint = sha256Fingerprint(keyBlob);
  const blob = keyBlob.toString('base64');
  const name = knownHostsName(host, port);
  switch (policy.kind) {
    case 'fingerprint': {
      const pinned = policy.sha256.startsWith('SHA256:') ? policy.sha256 : `SHA256:${policy.sha256}`;
      return pinned.replace(/=+$/, '') === fingerprint
        ? { accepted: true, fingerprint, reason: 'matches the pinned fingerprint' }
        : { accepted: false, fingerprint, reason: `host key ${fingerprint} does not match the pinned fingerprint ${pinned}` };
    }
    case 'known_hosts': {
      if (!existsSync(policy.file)) {
        return { accepted: false, fingerprint, reason: `known_hosts file ${policy.file} does not exist (host key ${fingerprint} cannot be checked)` };
      }
      const { keys, revoked } = knownKeysFor(readKnownHosts(policy.file), host, port);
      if (revoked.has(blob)) return { accepted: false, fingerprint, reason: `host key ${fingerprint} is marked @revoked in ${policy.file}` };
      if (keys.has(blob)) return { accepted: true, fingerprint, reason: `listed in ${policy.file}` };
      if (keys.size > 0) {
        return { accepted: false, fingerprint, reason: `host key ${fingerprint} differs from the key listed for ${name} in ${policy.file}: it CHANGED (possible man-in-the-middle)` };
      }
      return {
        accepted: false,
        fingerprint,
        reason: `unknown host key ${fingerprint}: ${name} is not in ${policy.file} (add it with ssh-keyscan after checking it, pin its fingerprint, or set host_key.accept_new: true)`,
      };
    }
    case 'accept_new': {
      const text = policy.file ? readKnownHosts(policy.file) : '';
      const { keys, revoked } = knownKeysFor(text, host, port);
      if (revoked.has(blob)) return { accepted: false, fingerprint, reason: `host key ${fingerprint} is marked @revoked in ${policy.file}` };
      if (keys.has(blob)) return { accepted: true, fingerprint, reason: `listed in ${policy.file}` };
      if (keys.size > 0) {
        return { accepted: false, fingerprint, reason: `host key ${fingerprint} differs from the key listed for ${name} in ${policy.file}: it CHANGED (accept_new accepts only unknown keys)` };
      }
      if (policy.file) {
        mkdirSync(dirname(policy.file), { recursive: true });
        appendFileSync(policy.file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${name} ${keyType} ${blob}\n`, { mode: 0o600 });
        return { accepted: true, fingerprint, reason: `new key accepted (accept_new) and added to ${policy.file}` };
      }
      return { accepted: true, fingerprint, reason: 'new key accepted (accept_new)' };
    }
  }
}

/** The algorithm name at the start of an SSH public key blob ("ssh-ed25519", "ecdsa-sha2-nistp256"...). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}
