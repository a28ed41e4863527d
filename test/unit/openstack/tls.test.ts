/**
 * TLS settings of the transport against a local HTTPS server with a throwaway self-signed
 * certificate (made with the openssl CLI; skipped where it is missing): refused by default as
 * SSLError, accepted with the CA file (cacert) or with insecure, and a missing CA file is an
 * input error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { HttpTransport, OpenStackConnectionError } from '../../../src/openstack/index.js';

const OPENSSL = ['/usr/bin/openssl', '/bin/openssl'].find((p) => existsSync(p));

describe.skipIf(!OPENSSL)('HttpTransport TLS', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rally-gate-tls-'));
    execFileSync(OPENSSL as string, [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok": true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function get(transport: HttpTransport): Promise<unknown> {
    try {
      return (await transport.send({ method: 'GET', url })).status;
    } catch (error) {
      return error;
    } finally {
      await transport.close();
    }
  }

  it('refuses an unknown certificate authority as SSLError naming the request', async () => {
    const error = await get(new HttpTransport({ insecure: false }));
    expect(error).toBeInstanceOf(OpenStackConnectionError);
    expect((error as Error).name).toBe('SSLError');
    expect((error as Error).message).toContain(`GET ${url} failed: `);
    expect((error as OpenStackConnectionError).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });

  it('accepts it with the CA file, or insecure', async () => {
    expect(await get(new HttpTransport({ insecure: false, cacert: join(dir, 'cert.pem') }))).toBe(200);
    expect(await get(new HttpTransport({ insecure: true }))).toBe(200);
  });

  it('a CA file that cannot be read is an input error', () => {
    expect(() => new HttpTransport({ insecure: false, cacert: join(dir, 'nope.pem') })).toThrow(InputError);
    expect(() => new HttpTransport({ insecure: false, cacert: join(dir, 'nope.pem') })).toThrow(/cannot read the CA certificate \(cacert\) file .*nope\.pem: ENOENT/);
  });
});
