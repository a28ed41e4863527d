/**
 * The OpenStack client against the real dev cloud (scripts/dev-cloud up): Keystone auth with a
 * password, a token and an application credential, the catalog, a project and user with a
 * role, an image with data, a server on the fake driver, a volume, and a network with subnet,
 * router and security group, pagination, and the errors a real service gives.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1 (the cloud is up). Credentials come from the cloud's
 * clouds.yaml (RALLY_GATE_DEV_CLOUD_DIR, default /var/lib/rally-gate/dev-cloud), read with our
 * own clouds.yaml loader. Everything created is named rally_gate_test_<random> and deleted in
 * afterAll too, so a failed test leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCredential, loadCloudsYaml, redactSecrets, credentialSecrets } from '../../src/cloud/index.js';
import type { CloudCredential } from '../../src/cloud/index.js';
import {
  EndpointNotFound,
  OpenStackCloud,
  OpenStackHttpError,
  OpenStackSession,
  AuthenticationFailed,
  blockStorage,
  compute,
  identity,
  image,
  network,
} from '../../src/openstack/index.js';

const ENABLED = process.env.RALLY_GATE_DEV_CLOUD === '1';
const STATE_DIR = process.env.RALLY_GATE_DEV_CLOUD_DIR ?? '/var/lib/rally-gate/dev-cloud';
const PREFIX = `rally_gate_test_${randomBytes(4).toString('hex')}`;
/** quick polls: the fake driver is fast, and the tests should be too */
const FAST = { pollInterval: 0.5, timeout: 120 };

describe.skipIf(!ENABLED)('OpenStack client against the dev cloud', () => {
  let credential: CloudCredential;
  let cloud: OpenStackCloud;
  let admin: OpenStackSession;
  /** undo steps, run last-in first-out in afterAll; a 404 means already gone */
  const cleanups: Array<{ what: string; undo: () => Promise<unknown> }> = [];
  const onCleanup = (what: string, undo: () => Promise<unknown>): void => {
    cleanups.push({ what, undo });
  };

  beforeAll(async () => {
    credential = loadCloudsYaml({ cloud: 'dev-cloud', env: { OS_CLIENT_CONFIG_FILE: join(STATE_DIR, 'clouds.yaml') } });
    cloud = new OpenStackCloud(credential);
    admin = cloud.admin();
    await admin.token();
  });

  afterAll(async () => {
    const failures: string[] = [];
    for (const { what, undo } of cleanups.reverse()) {
      try {
        await undo();
      } catch (error) {
        if (!(error instanceof OpenStackHttpError && error.status === 404)) failures.push(`${what}: ${(error as Error).message}`);
      }
    }
    await cloud?.close();
    expect(failures).toEqual([]);
  });

  it('reads the dev cloud from its clouds.yaml and describes it without the password', () => {
    const text = describeCredential(credential);
    expect(text).toContain('http://127.0.0.1:5000/v3');
    expect(text).toContain('user admin');
    expect(text).toContain('RegionOne');
    expect(redactSecrets(`${text} ${JSON.stringify(credential)}`, credentialSecrets(credential))).not.toContain('"secret"');
  });

  it('authenticates with a password: project-scoped token with roles and catalog', async () => {
    const token = await admin.token();
    expect(token.project?.name).toBe('admin');
    expect(token.roles.map((r) => r.name)).toContain('admin');
    expect(token.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect(token.catalog.types()).toEqual(expect.arrayContaining(['identity', 'image', 'compute', 'network', 'placement']));
  });

  it('finds every service endpoint on loopback, versioned, with the project id substituted', async () => {
    const projectId = await admin.projectId();
    expect(await admin.endpoint('identity')).toBe('http://127.0.0.1:5000/v3');
    expect(await admin.endpoint('compute')).toBe('http://127.0.0.1:8774/v2.1');
    expect(await admin.endpoint('image')).toBe('http://127.0.0.1:9292/v2');
    expect(await admin.endpoint('network')).toBe('http://127.0.0.1:9696/v2.0');
    expect(await admin.endpoint('block-storage')).toBe(`http://127.0.0.1:8776/v3/${projectId}`);
    expect(await admin.endpoint('placement')).toBe('http://127.0.0.1:8778');
    const wrongRegion = new OpenStackSession({ transport: cloud.transport, settings: { ...credential, regionName: 'Atlantis' }, auth: credential.admin! });
    await expect(wrongRegion.endpoint('compute')).rejects.toThrow(EndpointNotFound);
    await expect(wrongRegion.endpoint('compute')).rejects.toThrow(/region Atlantis.*RegionOne/);
  });

  it('authenticates with an unversioned auth URL through version discovery', async () => {
    const session = new OpenStackSession({ transport: cloud.transport, settings: { ...credential, authUrl: 'http://127.0.0.1:5000/' }, auth: credential.admin! });
    expect(await session.identityUrl()).toBe('http://127.0.0.1:5000/v3');
    expect((await session.token()).project?.name).toBe('admin');
  });

  it('authenticates with a token, validates it, and a revoked token is refused', async () => {
    const issued = await identity.authenticate(admin, credential.admin!);
    const byToken = cloud.session({ method: 'token', token: issued.token, scope: { kind: 'project', id: issued.project!.id } });
    expect((await byToken.token()).methods).toEqual(expect.arrayContaining(['token']));
    expect((await compute.listFlavors(byToken)).length).toBeGreaterThan(0);

    const validated = await identity.validateToken(admin, issued.token, { noCatalog: true });
    expect(validated.user.name).toBe('admin');
    await identity.checkToken(admin, issued.token);
    await identity.revokeToken(admin, issued.token);
    const refused = await identity.validateToken(admin, issued.token).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenStackHttpError);
    expect((refused as OpenStackHttpError).name).toBe('NotFound');
  });

  it('authenticates with an application credential it creates (and deletes)', async () => {
    const token = await admin.token();
    const appCred = await identity.createApplicationCredential(admin, token.user.id, { name: `${PREFIX}_appcred`, description: 'rally-gate test' });
    onCleanup('application credential', () => identity.deleteApplicationCredential(admin, token.user.id, appCred.id));
    expect(appCred.secret).toBeTruthy();

    const byAppCred = cloud.session({ method: 'application_credential', id: appCred.id, secret: appCred.secret! });
    const appToken = await byAppCred.token();
    expect(appToken.methods).toContain('application_credential');
    expect(appToken.project?.id).toBe(token.project?.id);
    expect((await image.listImages(byAppCred)).length).toBeGreaterThan(0);

    const byName = cloud.session({ method: 'application_credential', name: appCred.name, secret: appCred.secret!, user: { id: token.user.id } });
    expect((await byName.token()).project?.id).toBe(token.project?.id);

    await identity.deleteApplicationCredential(admin, token.user.id, appCred.id);
    const refused = await cloud.session({ method: 'application_credential', id: appCred.id, secret: appCred.secret! }).token().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationFailed);
    expect(String(refused)).not.toContain(appCred.secret!);
  });

  it('refuses a wrong password with AuthenticationFailed naming the user, not the password', async () => {
    const wrong = cloud.session({ method: 'password', user: { name: 'admin', domainId: 'default' }, password: 'not-the-password', scope: { kind: 'project', name: 'admin', domainId: 'default' } });
    const error = await wrong.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailed);
    expect((error as Error).message).toMatch(/Failed to authenticate to http:\/\/127\.0\.0\.1:5000\/v3 for user admin .*Unauthorized.*request id req-/);
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('creates a project and a user with a role; the user logs in; all deleted again', async () => {
    const project = await identity.createProject(admin, { name: `${PREFIX}_project`, domain_id: 'default', description: 'rally-gate test' });
    onCleanup('project', () => identity.deleteProject(admin, project.id));
    const password = randomBytes(12).toString('hex');
    const user = await identity.createUser(admin, { name: `${PREFIX}_user`, password, domain_id: 'default', default_project_id: project.id });
    onCleanup('user', () => identity.deleteUser(admin, user.id));
    const member = (await identity.listRoles(admin, { query: { name: 'member' } }))[0];
    expect(member).toBeDefined();
    await identity.grantProjectRole(admin, project.id, user.id, member!.id);

    const assignments = await identity.listRoleAssignments(admin, { 'user.id': user.id, include_names: true });
    expect(assignments.map((a) => [a.role.name, a.scope.project?.id])).toEqual([['member', project.id]]);
    expect((await identity.listProjects(admin)).map((p) => p.id)).toContain(project.id);
    expect((await identity.listUsers(admin, { query: { name: user.name } })).map((u) => u.id)).toEqual([user.id]);

    const asUser = cloud.session({ method: 'password', user: { name: user.name, domainId: 'default' }, password, scope: { kind: 'project', name: project.name, domainId: 'default' } });
    expect((await asUser.token()).project?.id).toBe(project.id);
    expect(await compute.listServers(asUser)).toEqual([]);

    await identity.updateUser(admin, user.id, { enabled: false });
    expect((await identity.getUser(admin, user.id)).enabled).toBe(false);
    await identity.revokeProjectRole(admin, project.id, user.id, member!.id);
    await identity.deleteUser(admin, user.id);
    await identity.deleteProject(admin, project.id);
    const gone = await identity.getProject(admin, project.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OpenStackHttpError);
    expect((gone as OpenStackHttpError).status).toBe(404);
    expect((gone as Error).message).toMatch(new RegExp(`GET http://127\\.0\\.0\\.1:5000/v3/projects/${project.id} -> 404 Not Found \\(request id req-[0-9a-f-]+\\): Could not find project`, 'i'));
  });

  it('creates an image, uploads a few bytes, waits for active, deletes it and waits until gone', async () => {
    const created = await image.createImage(admin, { name: `${PREFIX}_image`, container_format: 'bare', disk_format: 'raw', visibility: 'private' });
    onCleanup('image', () => image.deleteImage(admin, created.id));
    expect(created.status).toBe('queued');
    const data = new Uint8Array(randomBytes(1024));
    await image.uploadImageData(admin, created.id, data);
    const active = await image.waitForImageStatus(admin, created, ['active'], FAST);
    expect(active.size).toBe(1024);
    expect(Buffer.from(await image.downloadImageData(admin, created.id)).equals(Buffer.from(data))).toBe(true);
    expect((await image.listImages(admin)).map((i) => i.id)).toContain(created.id);
    await image.deleteImage(admin, created.id);
    await image.waitForImageDeleted(admin, created, FAST);
  });

  it('boots a server on the fake driver, waits for ACTIVE, deletes it and waits until gone', async () => {
    const flavor = (await compute.listFlavors(admin)).find((f) => f.name === 'm1.nano');
    const cirros = (await image.listImages(admin)).find((i) => i.name === 'cirros-0.6.2-x86_64-disk');
    const net = (await network.listNetworks(admin, { query: { name: 'private' } }))[0];
    expect(flavor && cirros && net).toBeTruthy();
    const created = await compute.createServer(admin, { name: `${PREFIX}_server`, imageRef: cirros!.id, flavorRef: flavor!.id, networks: [{ uuid: net!.id }] });
    onCleanup('server', () => compute.deleteServer(admin, created.id));
    const server = await compute.waitForServerStatus(admin, { id: created.id, name: `${PREFIX}_server` }, ['ACTIVE'], { ...FAST, prepollDelay: 0.5 });
    expect(server.status).toBe('ACTIVE');
    expect(Object.keys(server.addresses)).toContain('private');
    expect((await compute.listServers(admin, { query: { name: PREFIX } })).map((s) => s.id)).toEqual([created.id]);

    await compute.stopServer(admin, created.id);
    expect((await compute.waitForServerStatus(admin, created, ['SHUTOFF'], FAST)).status).toBe('SHUTOFF');
    await compute.startServer(admin, created.id);
    await compute.waitForServerStatus(admin, created, ['ACTIVE'], FAST);

    await compute.deleteServer(admin, created.id);
    await compute.waitForServerDeleted(admin, created, FAST);
    // "DELETED" counts as gone (Rally's rule); Nova may still answer 200 with vm_state "deleted"
    // for a moment before its 404, the error whose text is checked here
    let lookup: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      lookup = await compute.getServer(admin, created.id).catch((error: unknown) => error);
      if (lookup instanceof Error) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(String((lookup as Error).message)).toMatch(/-> 404 Not Found \(request id req-[0-9a-f-]+\): Instance .* could not be found/);
  });

  it('creates a keypair and a server group with a microversion, and reads quotas', async () => {
    const keypair = await compute.createKeypair(admin, { name: `${PREFIX}_key` });
    onCleanup('keypair', () => compute.deleteKeypair(admin, keypair.name));
    expect(keypair.private_key).toContain('PRIVATE KEY');
    expect((await compute.listKeypairs(admin)).map((k) => k.name)).toContain(keypair.name);
    await compute.deleteKeypair(admin, keypair.name);

    const group = await compute.createServerGroup(admin, { name: `${PREFIX}_group`, policy: 'anti-affinity' }, { microversion: '2.64' });
    onCleanup('server group', () => compute.deleteServerGroup(admin, group.id));
    expect(group.policy).toBe('anti-affinity');
    const old = await compute.getServerGroup(admin, group.id);
    expect(old.policies).toEqual(['anti-affinity']);
    await compute.deleteServerGroup(admin, group.id);

    const projectId = await admin.projectId();
    expect((await compute.getComputeQuotas(admin, projectId)).instances).toBe(-1);
    expect((await network.getNetworkQuotas(admin, projectId)).network).toBe(-1);
    expect((await blockStorage.getVolumeQuotas(admin, projectId)).volumes).toBe(-1);
  });

  it('creates a volume, waits for available, deletes it and waits until gone', async () => {
    const volume = await blockStorage.createVolume(admin, { size: 1, name: `${PREFIX}_volume` });
    onCleanup('volume', () => blockStorage.deleteVolume(admin, volume.id));
    const available = await blockStorage.waitForVolumeStatus(admin, volume, ['available'], FAST);
    expect(available.size).toBe(1);
    expect((await blockStorage.listVolumes(admin)).map((v) => v.id)).toContain(volume.id);
    await blockStorage.deleteVolume(admin, volume.id);
    await blockStorage.waitForVolumeDeleted(admin, volume, FAST);
  });

  it('creates a network, subnet, router with an interface, and a security group with a rule', async () => {
    const net = await network.createNetwork(admin, { name: `${PREFIX}_net` });
    onCleanup('network', () => network.deleteNetwork(admin, net.id));
    const subnet = await network.createSubnet(admin, { network_id: net.id, cidr: '198.51.100.0/24', ip_version: 4, name: `${PREFIX}_subnet`, enable_dhcp: false });
    onCleanup('subnet', () => network.deleteSubnet(admin, subnet.id));
    const router = await network.createRouter(admin, { name: `${PREFIX}_router` });
    onCleanup('router', () => network.deleteRouter(admin, router.id));
    const attached = await network.addRouterInterface(admin, router.id, { subnet_id: subnet.id });
    onCleanup('router interface', () => network.removeRouterInterface(admin, router.id, { subnet_id: subnet.id }));
    expect(attached.subnet_id).toBe(subnet.id);
    expect((await network.listPorts(admin, { query: { device_id: router.id } })).map((p) => p.id)).toEqual([attached.port_id]);

    const group = await network.createSecurityGroup(admin, { name: `${PREFIX}_sg`, description: 'rally-gate test' });
    onCleanup('security group', () => network.deleteSecurityGroup(admin, group.id));
    const rule = await network.createSecurityGroupRule(admin, { security_group_id: group.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' });
    expect((await network.getSecurityGroup(admin, group.id)).security_group_rules.map((r) => r.id)).toContain(rule.id);

    const conflict = await network.deleteNetwork(admin, net.id).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(OpenStackHttpError);
    expect((conflict as OpenStackHttpError).name).toBe('Conflict');
    expect((conflict as Error).message).toMatch(/DELETE http:\/\/127\.0\.0\.1:9696\/v2\.0\/networks\/.* -> 409 Conflict \(request id req-.*\): NetworkInUse: /);

    await network.deleteSecurityGroupRule(admin, rule.id);
    await network.deleteSecurityGroup(admin, group.id);
    await network.removeRouterInterface(admin, router.id, { subnet_id: subnet.id });
    await network.deleteRouter(admin, router.id);
    await network.deleteSubnet(admin, subnet.id);
    await network.deleteNetwork(admin, net.id);
    await expect(network.getNetwork(admin, net.id)).rejects.toThrow(/404 Not Found.*NetworkNotFound/);
  });

  it('follows pages of a real service (flavors, networks, images with limit=1)', async () => {
    const allFlavors = await compute.listFlavors(admin);
    expect(allFlavors.length).toBeGreaterThanOrEqual(5);
    const paged = await compute.listFlavors(admin, { query: { limit: 2 } });
    expect(paged.map((f) => f.id).sort()).toEqual(allFlavors.map((f) => f.id).sort());
    expect(await compute.listFlavors(admin, { query: { limit: 2 }, pages: 'first' })).toHaveLength(2);

    const allImages = await image.listImages(admin);
    expect((await image.listImages(admin, { query: { limit: 1 } })).map((i) => i.id).sort()).toEqual(allImages.map((i) => i.id).sort());

    const allNetworks = await network.listNetworks(admin);
    expect((await network.listNetworks(admin, { query: { limit: 1 } })).map((n) => n.id).sort()).toEqual(allNetworks.map((n) => n.id).sort());
  });
});
