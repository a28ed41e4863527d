/** The deployment file: defaults, credentials from the environment, and errors with file:line:col. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { loadDeploymentFile, parseDeploymentFile } from '../../../src/deploy/devstack/plan.js';

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseDeploymentFile('d.yaml', text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).format();
  }
  throw new Error('expected an InputError');
}

const MINIMAL = 'controller:\n  host: 10.0.0.1\n  user: ubuntu\n  password_env: NODE_PW\ndevstack:\n  repo: https://opendev.org/openstack/devstack\n';

describe('deployment file', () => {
  it("uses DevStack's and Zuul's defaults", () => {
    const plan = parseDeploymentFile('d.yaml', MINIMAL, { NODE_PW: 'pw-from-env' });
    expect(plan.source).toEqual({ repo: 'https://opendev.org/openstack/devstack', ref: 'master', dest: '/opt/stack/devstack' });
    expect(plan.controller).toMatchObject({ name: 'controller', role: 'controller', address: '10.0.0.1', dest: '/opt/stack/devstack' });
    expect(plan.controller.ssh).toMatchObject({ port: 22, user: 'ubuntu', auth: { kind: 'password', password: 'pw-from-env' }, hostKey: { kind: 'known_hosts' } });
    expect(plan.stackUser).toBe('stack');
    expect(plan.stackTimeoutSeconds).toBe(7200);
    expect(plan.secrets).toContain('pw-from-env');
  });

  it('reads a private key from a file (relative to the deployment file) or from an environment variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-plan-'));
    writeFileSync(join(dir, 'node_key'), 'KEY-TEXT\n');
    writeFileSync(join(dir, 'd.yaml'), 'ssh:\n  user: u\n  private_key: node_key\n  host_key: {fingerprint: "SHA256:QaMc492ogICUiV/FbZOjKWoTjqqJOJzWSAND5Hw4oto"}\ncontroller: {host: h}\ndevstack: {repo: r, ref: abc123}\n');
    const plan = loadDeploymentFile(join(dir, 'd.yaml'));
    expect(plan.controller.ssh.auth).toEqual({ kind: 'key', privateKey: 'KEY-TEXT\n' });
    expect(plan.controller.ssh.hostKey).toEqual({ kind: 'fingerprint', sha256: 'SHA256:QaMc492ogICUiV/FbZOjKWoTjqqJOJzWSAND5Hw4oto' });
    expect(plan.source.ref).toBe('abc123');
    const fromEnv = parseDeploymentFile('d.yaml', 'controller: {host: h, user: u, key_env: CI_KEY, host_key: {accept_new: true}}\ndevstack: {repo: r}\n', { CI_KEY: 'KEY' });
    expect(fromEnv.controller.ssh.auth).toEqual({ kind: 'key', privateKey: 'KEY\n' });
    expect(fromEnv.controller.ssh.hostKey).toEqual({ kind: 'accept_new' });
  });

  it('reports problems with file:line:col and the key path', () => {
    expect(errorOf(MINIMAL.replace('  user: ubuntu\n', '  user: ubuntu\n  prot: 22\n'), { NODE_PW: 'x' })).toMatch(/^d\.yaml:4:3: controller\.prot: /);
    expect(errorOf(MINIMAL)).toBe('d.yaml:4:3: controller.password_env: environment variable NODE_PW is not set (or empty)');
    expect(errorOf('controller: {host: h, user: u, password: p, private_key: k}\ndevstack: {repo: r}\n')).toMatch(/give one SSH credential, not private_key and password/);
    expect(errorOf('controller: {host: h, password: p}\ndevstack: {repo: r}\n')).toMatch(/no SSH user/);
    expect(errorOf(`${MINIMAL}vars:\n  devstack_localrc:\n    HOST_IP: "{{ hostvars['controller']['nodepool']['private_ipv4'] }}"\n`, { NODE_PW: 'x' })).toMatch(
      /^d\.yaml:9:5: vars\.devstack_localrc\.HOST_IP: Zuul\/Jinja expressions/,
    );
    expect(errorOf(`${MINIMAL}subnodes:\n  - {name: controller, host: h2}\n`, { NODE_PW: 'x' })).toMatch(/node name "controller" is used twice/);
    expect(errorOf(`${MINIMAL}host_vars:\n  compute9: {}\n`, { NODE_PW: 'x' })).toMatch(/host_vars for "compute9", which is not a node/);
    expect(errorOf('controller: {host: h}\n')).toMatch(/devstack/);
    expect(() => loadDeploymentFile('/nonexistent/deployment.yaml')).toThrow(/deployment file not found/);
  });
});

describe('rally-jobs/deployment.example.yaml', () => {
  it('loads, with the devstack job variables rendered per node', async () => {
    const { renderLocalConf } = await import('../../../src/deploy/devstack/local-conf.js');
    const plan = loadDeploymentFile(join(import.meta.dirname, '../../../rally-jobs/deployment.example.yaml'), { DEVSTACK_NODES_SSH_KEY: 'KEY' });
    expect(plan.subnodes.map((n) => n.name)).toEqual(['compute1']);
    const subnode = renderLocalConf(plan.subnodes[0]!.vars);
    expect(subnode).toContain('enable_service n-cpu\n');
    expect(subnode).toContain('SERVICE_HOST=10.0.0.10\n');
    expect(subnode).toContain('HOST_IP=10.0.0.11\n');
    expect(renderLocalConf(plan.controller.vars)).toContain('[[post-config|$NEUTRON_CONF]]\n[DEFAULT]\nglobal_physnet_mtu = 1400\n');
  });
});
