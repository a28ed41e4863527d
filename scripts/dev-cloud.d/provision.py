#!/usr/bin/python3
"""provision.py - idempotent admin-side set-up of the dev cloud, over the
OpenStack REST APIs with keystoneauth1 (one process per call: the openstack
CLI costs ~1.5 s per command).  Credentials come from the OS_* variables of
the dev cloud's openrc.

  provision.py catalog "USER NAME TYPE URL" ...
      the 'service' project, one service user per entry (role admin in
      'service'), and the service + its public/internal/admin endpoints
  provision.py reset-passwords USER ...
      set these users' passwords (OS_PASSWORD) again, so that Keystone
      stores them with its current bcrypt cost (password_hash_rounds)
  provision.py starter SERVICE ...
      starter resources for the services named: flavors (nova), a tiny public
      image (glance), a shared network 'private' (neutron), unlimited quotas
      for the admin project (nova, neutron, cinder); then waits until
      nova-compute, cinder-volume and the linuxbridge agent report alive
"""
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3

IMAGE_NAME = 'cirros-0.6.2-x86_64-disk'   # matches rally-jobs' "^cirros.*-disk$"
FLAVORS = [  # name, RAM MiB, vCPUs, disk GiB (the fake driver has ~all of them)
    ('m1.nano', 128, 1, 1),
    ('m1.tiny', 512, 1, 1),
    ('m1.small', 2048, 1, 20),
    ('m1.medium', 4096, 2, 40),
    ('m1.large', 8192, 4, 80),
]
READY_TIMEOUT_S = 90


def admin_session():
    env = os.environ
    auth = v3.Password(
        auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'],
        password=env['OS_PASSWORD'], project_name=env['OS_PROJECT_NAME'],
        user_domain_name=env['OS_USER_DOMAIN_NAME'],
        project_domain_name=env['OS_PROJECT_DOMAIN_NAME'])
    return session.Session(auth=auth)


def service(kind):
    return {'endpoint_filter': {'service_type': kind, 'interface': 'public',
                                'region_name': os.environ['OS_REGION_NAME']}}


class Identity:
    """Keystone v3 collections: list, find, create."""

    def __init__(self, sess):
        self.sess = sess
        self.url = os.environ['OS_AUTH_URL'].rstrip('/')

    def list(self, collection, **query):
        key = collection.split('/')[-1]
        return self.sess.get('%s/%s' % (self.url, collection), params=query).json()[key]

    def create(self, collection, body):
        member = collection[:-1]
        created = self.sess.post('%s/%s' % (self.url, collection), json={member: body}).json()[member]
        print('created %s %s' % (member, body.get('name') or body.get('url')))
        return created

    def ensure(self, collection, body, **query):
        found = self.list(collection, **query)
        return found[0] if found else self.create(collection, body)


def register_catalog(sess, specs):
    """Everything is listed once and only what is missing is created: a run
    with all in place costs a handful of requests."""
    identity = Identity(sess)
    region = os.environ['OS_REGION_NAME']
    service_project = identity.ensure('projects', {'name': 'service', 'domain_id': 'default'},
                                      name='service', domain_id='default')
    admin_role = identity.list('roles', name='admin')[0]
    users = {u['name']: u for u in identity.list('users', domain_id='default')}
    services = {s['type']: s for s in identity.list('services')}
    endpoints = {(e['service_id'], e['interface']) for e in identity.list('endpoints')}
    admins = {a['user']['id'] for a in identity.list('role_assignments', **{
        'scope.project.id': service_project['id'], 'role.id': admin_role['id']})}
    for spec in specs:
        user_name, service_name, service_type, url = spec.split()
        if user_name not in users:
            users[user_name] = identity.create('users', {
                'name': user_name, 'domain_id': 'default', 'password': os.environ['OS_PASSWORD']})
        user_id = users[user_name]['id']
        if user_id not in admins:
            sess.put('%s/projects/%s/users/%s/roles/%s' % (
                identity.url, service_project['id'], user_id, admin_role['id']))
            admins.add(user_id)
        if service_type not in services:
            services[service_type] = identity.create('services', {
                'name': service_name, 'type': service_type})
        service_id = services[service_type]['id']
        for interface in ('public', 'internal', 'admin'):
            if (service_id, interface) not in endpoints:
                identity.create('endpoints', {'service_id': service_id, 'interface': interface,
                                              'url': url, 'region_id': region})
        print('catalog: %-10s %-14s %s' % (service_name, service_type, url))


def reset_passwords(sess, user_names):
    """The admin user goes last: its change revokes the token we use (the
    session then authenticates again)."""
    identity = Identity(sess)
    users = {u['name']: u for u in identity.list('users', domain_id='default')}
    for name in sorted(user_names, key=lambda n: n == os.environ['OS_USERNAME']):
        if name in users:
            sess.patch('%s/users/%s' % (identity.url, users[name]['id']),
                       json={'user': {'password': os.environ['OS_PASSWORD']}})
            print('password of %s set again' % name)


def ensure_flavors(sess):
    compute = service('compute')
    have = {f['name'] for f in sess.get('/flavors', **compute).json()['flavors']}
    for name, ram, vcpus, disk in FLAVORS:
        if name not in have:
            sess.post('/flavors', json={'flavor': {'name': name, 'ram': ram, 'vcpus': vcpus,
                                                   'disk': disk}}, **compute)
            print('flavor %s created' % name)


def ensure_image(sess):
    """1 MiB of zeros: the fake virt driver never reads it."""
    image = service('image')
    found = sess.get('/v2/images', params={'name': IMAGE_NAME}, **image).json()['images']
    if found and found[0]['status'] == 'active':
        return
    for stale in found:  # a create that was cut short left a 'queued' image
        sess.delete('/v2/images/%s' % stale['id'], **image)
    created = sess.post('/v2/images', json={
        'name': IMAGE_NAME, 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'}, **image).json()
    sess.put('/v2/images/%s/file' % created['id'], data=b'\0' * 1048576,
             headers={'Content-Type': 'application/octet-stream'}, **image)
    print('image %s created' % IMAGE_NAME)


def ensure_network(sess):
    """A shared network on a documentation range (RFC 5737): no packet uses it."""
    network = service('network')
    found = sess.get('/v2.0/networks', params={'name': 'private'}, **network).json()['networks']
    net = found[0] if found else sess.post('/v2.0/networks', json={'network': {
        'name': 'private', 'shared': True}}, **network).json()['network']
    if not net['subnets']:
        sess.post('/v2.0/subnets', json={'subnet': {
            'name': 'private-subnet', 'network_id': net['id'], 'ip_version': 4,
            'cidr': '192.0.2.0/24', 'enable_dhcp': False}}, **network)
        print('shared network private (192.0.2.0/24) created')


def raise_quotas(sess, services):
    """Unlimited quotas for the admin project, for concurrent rally-style runs."""
    project = sess.get_project_id()
    if 'nova' in services:
        sess.put('/os-quota-sets/%s' % project, json={'quota_set': {
            'instances': -1, 'cores': -1, 'ram': -1, 'key_pairs': -1, 'server_groups': -1,
            'server_group_members': -1, 'metadata_items': -1}}, **service('compute'))
    if 'neutron' in services:
        sess.put('/v2.0/quotas/%s' % project, json={'quota': {
            'network': -1, 'subnet': -1, 'port': -1, 'router': -1, 'floatingip': -1,
            'security_group': -1, 'security_group_rule': -1, 'subnetpool': -1}},
            **service('network'))
    if 'cinder' in services:
        sess.put('/os-quota-sets/%s' % project, json={'quota_set': {
            'volumes': -1, 'snapshots': -1, 'gigabytes': -1, 'backups': -1,
            'backup_gigabytes': -1, 'groups': -1}}, **service('volumev3'))
    print('admin project quotas: unlimited (%s)' % ' '.join(
        s for s in ('nova', 'neutron', 'cinder') if s in services))


def wait_until(what, probe):
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not probe():
        if time.monotonic() > deadline:
            sys.exit('%s did not report alive within %s s' % (what, READY_TIMEOUT_S))
        time.sleep(1)
    print('%s alive' % what)


def wait_for_agents(sess, services):
    """The API answering is not enough: a server or volume create also needs
    its compute/volume service (and, for a port, the L2 agent) registered."""
    if 'nova' in services:
        wait_until('nova-compute', lambda: any(
            s['binary'] == 'nova-compute' and s['state'] == 'up'
            for s in sess.get('/os-services', **service('compute')).json()['services']))
        wait_until('nova-compute resources in placement', lambda: any(
            sess.get('/resource_providers/%s/inventories' % provider['uuid'],
                     **service('placement')).json()['inventories']
            for provider in sess.get('/resource_providers',
                                     **service('placement')).json()['resource_providers']))
    if 'cinder' in services:
        wait_until('cinder-volume', lambda: any(
            s['binary'] == 'cinder-volume' and s['state'] == 'up'
            for s in sess.get('/os-services', **service('volumev3')).json()['services']))
    if 'neutron' in services:
        wait_until('neutron-linuxbridge-agent', lambda: any(
            a['binary'] == 'neutron-linuxbridge-agent' and a['alive']
            for a in sess.get('/v2.0/agents', **service('network')).json()['agents']))


def main(argv):
    if len(argv) < 2 or argv[1] not in ('catalog', 'reset-passwords', 'starter'):
        sys.exit(__doc__)
    sess = admin_session()
    if argv[1] == 'catalog':
        register_catalog(sess, argv[2:])
        return
    if argv[1] == 'reset-passwords':
        reset_passwords(sess, argv[2:])
        return
    services = set(argv[2:])
    summary = []
    if 'nova' in services:
        ensure_flavors(sess)
        summary.append('flavors m1.*')
    if 'glance' in services:
        ensure_image(sess)
        summary.append('image ' + IMAGE_NAME)
    if 'neutron' in services:
        ensure_network(sess)
        summary.append("network 'private'")
    if services & {'nova', 'neutron', 'cinder'}:
        raise_quotas(sess, services)
        summary.append('admin quotas unlimited')
    wait_for_agents(sess, services)
    print(', '.join(summary) or 'nothing to add', end='')
    print('; agents alive' if services & {'nova', 'neutron', 'cinder'} else '')


if __name__ == '__main__':
    main(sys.argv)
