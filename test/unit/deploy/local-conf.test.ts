/** local.conf as Zuul's write-devstack-local-conf renders it: golden single-node and multinode files. */
import { describe, expect, it } from 'vitest';
import { maskLocalConf, orderLocalrc, renderLocalConf, secretValues } from '../../../src/deploy/devstack/local-conf.js';
import { parseDeploymentFile } from '../../../src/deploy/devstack/plan.js';

const SINGLE_NODE_GOLDEN = `[[local|localrc]]
enable_plugin heat https://opendev.org/openstack/heat
enable_plugin neutron https://opendev.org/openstack/neutron
disable_all_services
enable_service key
disable_service horizon
ADMIN_PASSWORD=secretadmin
DATABASE_PASSWORD=secretdatabase
HOST_IP=10.0.0.5
LOGFILE=/opt/stack/logs/devstacklog.txt
LOG_COLOR=False
SERVICE_HOST=10.0.0.5
RABBIT_HOST=$SERVICE_HOST
SWIFT_HASH=1234123412341234
VERBOSE=True

[[post-config|$NEUTRON_CONF]]
[DEFAULT]
global_physnet_mtu = 1400
[[test-config|$TEMPEST_CONFIG]]
[compute]
min_compute_nodes = 2
`;

describe('renderLocalConf', () => {
  it('single node: plugins by name, services (base: false), localrc by name with references first, meta-sections', () => {
    const text = renderLocalConf({
      devstack_localrc: {
        VERBOSE: true,
        LOG_COLOR: false,
        LOGFILE: '/opt/stack/logs/devstacklog.txt',
        RABBIT_HOST: '$SERVICE_HOST',
        SERVICE_HOST: '10.0.0.5',
        HOST_IP: '10.0.0.5',
        DATABASE_PASSWORD: 'secretdatabase',
        ADMIN_PASSWORD: 'secretadmin',
        SWIFT_HASH: 1234123412341234,
      },
      devstack_services: { base: false, key: true, horizon: false, ignored: 'yes' },
      devstack_plugins: { neutron: 'https://opendev.org/openstack/neutron', heat: 'https://opendev.org/openstack/heat', unused: '' },
      devstack_local_conf: {
        'post-config': { $NEUTRON_CONF: { DEFAULT: { global_physnet_mtu: 1400 } } },
        'test-config': { $TEMPEST_CONFIG: { compute: { min_compute_nodes: 2 } } },
      },
    });
    expect(text).toBe(SINGLE_NODE_GOLDEN);
  });

  it('base services: ENABLED_SERVICES when base is not false and a base list exists, else disable_all_services', () => {
    expect(renderLocalConf({ devstack_base_services: ['key', 'mysql'], devstack_services: { tempest: true } })).toBe(
      '[[local|localrc]]\nENABLED_SERVICES=key,mysql\nenable_service tempest\n\n',
    );
    expect(renderLocalConf({ devstack_services: { tempest: true } })).toBe('[[local|localrc]]\ndisable_all_services\nenable_service tempest\n\n');
    expect(renderLocalConf({})).toBe('[[local|localrc]]\n\n\n');
  });

  it("orders a chain of references as Zuul's pre-order walk does, and rejects cycles", () => {
    expect(orderLocalrc({ A: '$B', B: '${C}/x', C: 'c' }).map(([k]) => k)).toEqual(['B', 'C', 'A']);
    expect(orderLocalrc({ X: '$X:1', Y: '$HOME' })).toEqual([['X', '$X:1'], ['Y', '$HOME']]);
    expect(() => orderLocalrc({ A: '$B', B: '$A' })).toThrow(/cycle: A -> B -> A/);
  });

  it('masks secret values in the logged copy and lists them for the log mask', () => {
    const vars = { devstack_localrc: { ADMIN_PASSWORD: 'pw1', SERVICE_TOKEN: 'tok', HOST_IP: '1.2.3.4' }, devstack_local_conf: { 'post-config': { $NOVA_CONF: { keystone_authtoken: { password: 'pw2' } } } } };
    const masked = maskLocalConf(renderLocalConf(vars));
    expect(masked).toContain('ADMIN_PASSWORD=***\n');
    expect(masked).toContain('SERVICE_TOKEN=***\n');
    expect(masked).toContain('HOST_IP=1.2.3.4\n');
    expect(masked).toContain('password = ***');
    expect(secretValues(vars).sort()).toEqual(['pw1', 'pw2', 'tok']);
  });
});

describe('multinode local.conf (golden)', () => {
  const file = `ssh:
  user: ubuntu
  password: not-used-here
controller:
  host: 203.0.113.10
  private_ip: 10.0.0.10
subnodes:
  - name: compute1
    host: 203.0.113.11
    private_ip: 10.0.0.11
devstack:
  repo: https://opendev.org/openstack/devstack
vars:
  devstack_localrc:
    ADMIN_PASSWORD: secretadmin
  devstack_services:
    base: false
    mysql: true
group_vars:
  subnode:
    devstack_localrc:
      ADMIN_PASSWORD: secretadmin
    devstack_services:
      base: false
      n-cpu: true
`;

  it('fills HOST_IP and SERVICE_HOST per node, and a subnode\'s DATABASE_*/RABBIT_HOST; group_vars replace vars whole', () => {
    const plan = parseDeploymentFile('deployment.yaml', file, {});
    expect(renderLocalConf(plan.controller.vars)).toBe(
      '[[local|localrc]]\ndisable_all_services\nenable_service mysql\nADMIN_PASSWORD=secretadmin\nHOST_IP=10.0.0.10\nSERVICE_HOST=10.0.0.10\n\n',
    );
    expect(renderLocalConf(plan.subnodes[0]!.vars)).toBe(
      '[[local|localrc]]\ndisable_all_services\nenable_service n-cpu\nADMIN_PASSWORD=secretadmin\nDATABASE_HOST=10.0.0.10\nDATABASE_TYPE=mysql\nHOST_IP=10.0.0.11\nRABBIT_HOST=10.0.0.10\nSERVICE_HOST=10.0.0.10\n\n',
    );
    expect(plan.secrets).toEqual(expect.arrayContaining(['not-used-here', 'secretadmin']));
  });
});
