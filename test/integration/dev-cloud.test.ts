/**
 * The dev cloud that `scripts/dev-cloud up` brings up answers as a real OpenStack: a Keystone v3
 * password token scoped to the admin project, a catalog of loopback endpoints, flavors, images, and a
 * network created and deleted. Plain REST with Node's fetch, no Python clients.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1 (CI sets it after `scripts/dev-cloud up`). The credentials
 * come from the cloud's own clouds.yaml in its state dir (RALLY_GATE_DEV_CLOUD_DIR, default
 * /var/lib/rally-gate/dev-cloud), never from a global file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ENABLED = process.env.RALLY_GATE_DEV_CLOUD === '1';
const STATE_DIR = process.env.RALLY_GATE_DEV_CLOUD_DIR ?? '/var/lib/rally-gate/dev-cloud';
const CLOUD_NAME = 'dev-cloud';
const REQUEST_TIMEOUT_MS = 30_000;
const REQUIRED_SERVICE_TYPES = ['identity', 'image', 'compute', 'network', 'volumev3', 'placement'];

interface CloudConfig {
  auth: {
    auth_url: string;
    username: string;
    password: string;
    project_name: string;
    user_domain_name: string;
    project_domain_name: string;
  };
  region_name: string;
  interface?: string;
}

interface CatalogEndpoint {
  interface: string;
  region_id: string;
  url: string;
}

interface CatalogService {
  type: string;
  endpoints: CatalogEndpoint[];
}

interface Session {
  token: string;
  projectId: string;
  catalog: CatalogService[];
}

function readCloudConfig(): CloudConfig {
  const clouds = parse(readFileSync(join(STATE_DIR, 'clouds.yaml'), 'utf8')) as {
    clouds?: Record<string, CloudConfig>;
  };
  const cloud = clouds.clouds?.[CLOUD_NAME];
  if (!cloud) throw new Error(`no cloud '${CLOUD_NAME}' in ${STATE_DIR}/clouds.yaml`);
  return cloud;
}

/** POST /v3/auth/tokens with password auth, scoped to the configured project. */
async function authenticate(cloud: CloudConfig): Promise<Session> {
  const { auth } = cloud;
  const response = await fetch(`${auth.auth_url.replace(/\/$/, '')}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: auth.username, password: auth.password, domain: { name: auth.user_domain_name } },
          },
        },
        scope: { project: { name: auth.project_name, domain: { name: auth.project_domain_name } } },
      },
    }),
  });
  expect(response.status).toBe(201);
  const token = response.headers.get('x-subject-token');
  if (!token) throw new Error('Keystone returned no X-Subject-Token');
  const body = (await response.json()) as { token: { project: { id: string }; catalog: CatalogService[] } };
  return { token, projectId: body.token.project.id, catalog: body.token.catalog };
}

function endpointUrl(session: Session, type: string, cloud: CloudConfig): string {
  const service = session.catalog.find((entry) => entry.type === type);
  const endpoint = service?.endpoints.find(
    (candidate) => candidate.interface === (cloud.interface ?? 'public') && candidate.region_id === cloud.region_name,
  );
  if (!endpoint) throw new Error(`no ${type} endpoint in the catalog`);
  return endpoint.url.replace(/\/$/, '');
}

async function call<T>(session: Session, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'X-Auth-Token': session.token, Accept: 'application/json', 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
}

describe.skipIf(!ENABLED)('dev cloud (scripts/dev-cloud)', () => {
  let cloud: CloudConfig;
  let session: Session;
  const createdNetworkIds: string[] = [];

  beforeAll(async () => {
    cloud = readCloudConfig();
    session = await authenticate(cloud);
  });

  afterAll(async () => {
    // a failed assertion must not leave the network behind
    for (const id of createdNetworkIds) {
      await call(session, 'DELETE', `${endpointUrl(session, 'network', cloud)}/v2.0/networks/${id}`);
    }
  });

  it('issues a project-scoped Keystone v3 token from the state dir clouds.yaml', () => {
    expect(session.token.length).toBeGreaterThan(20);
    expect(session.projectId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists identity, image, compute, network, volumev3 and placement endpoints on 127.0.0.1', () => {
    for (const type of REQUIRED_SERVICE_TYPES) {
      expect(new URL(endpointUrl(session, type, cloud)).hostname, type).toBe('127.0.0.1');
    }
  });

  it('lists the starter flavors', async () => {
    const { status, json } = await call<{ flavors: { name: string }[] }>(
      session,
      'GET',
      `${endpointUrl(session, 'compute', cloud)}/flavors`,
    );
    expect(status).toBe(200);
    expect(json.flavors.map((flavor) => flavor.name)).toEqual(expect.arrayContaining(['m1.nano', 'm1.tiny']));
  });

  it('lists the starter cirros image', async () => {
    const { status, json } = await call<{ images: { name: string; status: string }[] }>(
      session,
      'GET',
      `${endpointUrl(session, 'image', cloud)}/v2/images`,
    );
    expect(status).toBe(200);
    const cirros = json.images.find((image) => /^cirros.*-disk$/.test(image.name));
    expect(cirros?.status).toBe('active');
  });

  it('creates and deletes a network', async () => {
    const networks = `${endpointUrl(session, 'network', cloud)}/v2.0/networks`;
    const name = `rally-gate-dev-cloud-test-${process.pid}-${Date.now()}`;
    const created = await call<{ network: { id: string; name: string } }>(session, 'POST', networks, {
      network: { name },
    });
    expect(created.status).toBe(201);
    const { id } = created.json.network;
    createdNetworkIds.push(id);
    expect(created.json.network.name).toBe(name);

    const deleted = await call(session, 'DELETE', `${networks}/${id}`);
    expect(deleted.status).toBe(204);
    createdNetworkIds.splice(createdNetworkIds.indexOf(id), 1);

    const gone = await call(session, 'GET', `${networks}/${id}`);
    expect(gone.status).toBe(404);
  });
});
