/** Pure logic of the Glance/Nova slice: resource specs, network choice, boot kwargs, image context settings. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSettings } from '../../../src/plugins/openstack/contexts/images.js';
import { readImageData } from '../../../src/plugins/openstack/glance/image-data.js';
import { bootKwargs } from '../../../src/plugins/openstack/nova/boot-args.js';
import { findResource } from '../../../src/plugins/openstack/nova/resource-types.js';
import { serverGroupRequest } from '../../../src/plugins/openstack/nova/server-groups.js';
import { chooseNics } from '../../../src/plugins/openstack/nova/service.js';
import type { OpenStackTenant } from '../../../src/plugins/openstack/platform.js';

const images = [
  { id: 'a', name: 'cirros-0.6.2-x86_64-disk' },
  { id: 'b', name: 'cirros-0.5.2-x86_64-disk' },
  { id: 'c', name: 'TestVM' },
  { id: 'd', name: null },
];

describe('findResource (Rally types: exact name, then regex)', () => {
  it('prefers an exact name even when it is also a wider pattern', () => {
    expect(findResource({ name: 'TestVM' }, images, 'image', true).id).toBe('c');
  });
  it('several regex matches: the last by name for images, an error for flavors', () => {
    expect(findResource({ name: '^(cirros.*-disk|TestVM)$' }, images, 'image', true).id).toBe('a'); // code-point order: 'TestVM' < 'cirros...'
    expect(findResource({ regex: '^cirros' }, images, 'image', true).id).toBe('a');
    expect(() => findResource({ regex: '^cirros' }, images, 'flavor', false)).toThrow(/Flavor with name '\^cirros' is ambiguous, possible matches by id: a, b/);
  });
  it('nothing matching, duplicate exact names, or no name at all are InvalidScenarioArgument', () => {
    expect(() => findResource({ name: 'nope' }, images, 'image', true)).toThrow("Image with pattern 'nope' not found");
    expect(() => findResource({ name: 'x' }, [{ id: '1', name: 'x' }, { id: '2', name: 'x' }], 'image', true)).toThrow(/ambiguous.*1, 2/);
    try {
      findResource({}, images, 'image', true);
    } catch (error) {
      expect((error as Error).name).toBe('InvalidScenarioArgument');
    }
  });
});

describe('chooseNics (NovaScenario._boot_server)', () => {
  const tenant = (networks?: string[]): OpenStackTenant => ({ id: 'p', name: 'p', userIds: [], ...(networks ? { networks: networks.map((id) => ({ id })) } : {}) });
  it('explicit nics win', () => {
    expect(chooseNics({ nics: [{ 'net-id': 'x' }] }, tenant(['n1']), 1, true)).toEqual([{ 'net-id': 'x' }]);
  });
  it('auto_assign_nic balances over the tenant networks by iteration', () => {
    expect(chooseNics({}, tenant(['n1', 'n2']), 3, true)).toEqual([{ 'net-id': 'n2' }]);
    expect(chooseNics({}, tenant(['n1', 'n2']), 4, true)).toEqual([{ 'net-id': 'n1' }]);
  });
  it('without auto_assign_nic the first tenant network, and none without a network context', () => {
    expect(chooseNics({}, tenant(['n1', 'n2']), 3, false)).toEqual([{ 'net-id': 'n1' }]);
    expect(chooseNics({}, tenant(), 1, false)).toBeUndefined();
  });
});

describe('scenario arguments', () => {
  it('bootKwargs keeps only what goes to the boot request', () => {
    expect(bootKwargs({ image: {}, flavor: {}, force_delete: true, key_name: 'k', files: { '/a': 'b' } }, ['image', 'flavor', 'force_delete'])).toEqual({ key_name: 'k', files: { '/a': 'b' } });
  });
  it('server groups: deprecated kwargs win over policies', () => {
    expect(serverGroupRequest({ policies: ['affinity'] })).toEqual({ policies: ['affinity'] });
    expect(serverGroupRequest({ policies: ['affinity'], kwargs: { policies: ['anti-affinity'] } })).toEqual({ policies: ['anti-affinity'] });
    expect(serverGroupRequest({})).toEqual({});
  });
});

describe('images context settings (Rally ImageGenerator)', () => {
  it('defaults and image_name only for one image per project', () => {
    expect(imageSettings({ image_url: 'x', disk_format: 'qcow2', container_format: 'bare', images_per_tenant: 1, image_name: 'n' })).toEqual({
      diskFormat: 'qcow2',
      containerFormat: 'bare',
      visibility: 'private',
      minDisk: 0,
      minRam: 0,
      name: 'n',
    });
    expect(imageSettings({ image_url: 'x', disk_format: 'raw', container_format: 'bare', images_per_tenant: 2, image_name: 'n' }).name).toBeUndefined();
  });
  it('deprecated image_type/image_container/image_args fill what the root does not give', () => {
    const settings = imageSettings({ image_url: 'x', image_type: 'raw', image_container: 'bare', images_per_tenant: 1, image_args: { is_public: true, min_ram: 64 }, min_disk: 2 });
    expect(settings).toMatchObject({ diskFormat: 'raw', containerFormat: 'bare', visibility: 'public', minRam: 64, minDisk: 2 });
  });
});

describe('readImageData', () => {
  it('reads a local file and refuses a path that is neither a file nor an http(s) URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-b-'));
    writeFileSync(join(dir, 'img'), Buffer.from([1, 2, 3]));
    expect([...(await readImageData(join(dir, 'img')))]).toEqual([1, 2, 3]);
    await expect(readImageData(join(dir, 'missing'))).rejects.toMatchObject({ name: 'MissingSchema' });
  });
});
