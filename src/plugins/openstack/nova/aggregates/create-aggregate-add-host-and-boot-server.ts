/**
 * NovaAggregates.create_aggregate_add_host_and_boot_server: an aggregate with metadata and an up
 * host, a flavor with the same extra specs, a server booted with it, which must land on that host.
 */
import { RallyException } from '../../../../engine/exceptions.js';
import { compute } from '../../../../openstack/index.js';
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { aggregateAddHost, aggregateSetMetadata, createAggregate, listHypervisors } from '../admin-calls.js';
import { bootUserServer } from '../boot-args.js';
import { createFlavor } from '../flavors.js';
import { RESOURCE_SPEC_SCHEMA, type ResourceSpec } from '../resource-types.js';
import type { BootOptions } from '../service.js';

interface Args {
  image: ResourceSpec;
  metadata: Record<string, string>;
  availability_zone?: string | null;
  ram?: number;
  vcpus?: number;
  disk?: number;
  boot_server_kwargs?: BootOptions | null;
}

registerOpenStackScenario<Args>({
  name: 'NovaAggregates.create_aggregate_add_host_and_boot_server',
  description: 'Scenario to create and verify an aggregate.',
  schema: {
    type: 'object',
    properties: {
      image: RESOURCE_SPEC_SCHEMA,
      metadata: { type: 'object', additionalProperties: { type: 'string' } },
      availability_zone: { type: ['string', 'null'] },
      ram: { type: 'integer', minimum: 1 },
      vcpus: { type: 'integer', minimum: 1 },
      disk: { type: 'integer', minimum: 0 },
      boot_server_kwargs: { type: ['object', 'null'] },
    },
    required: ['image', 'metadata'],
    additionalProperties: false,
  },
  defaultContexts: { admin_cleanup: ['nova'], cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const aggregate = await createAggregate(ctx, admin, randomName(ctx, 'scenario'), args.availability_zone);
    const hosts = await listHypervisors(ctx, admin);
    const hostName = hosts.find((h) => h.state === 'up' && h.status === 'enabled')?.service?.host;
    if (!hostName) throw new RallyException('Could not find an available host');
    await aggregateSetMetadata(ctx, admin, aggregate, args.metadata);
    await aggregateAddHost(ctx, admin, aggregate, hostName);
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), { ram: args.ram ?? 512, vcpus: args.vcpus ?? 1, disk: args.disk ?? 1 });
    // Rally's flavor.set_keys here is not an atomic action of its own
    await compute.setFlavorExtraSpecs(admin, flavor.id, args.metadata, { signal: ctx.signal });
    const { server } = await bootUserServer(ctx, args.image, flavor.id, args.boot_server_kwargs ?? {});
    const details = await compute.getServer(admin, server.id, { signal: ctx.signal });
    if (details['OS-EXT-SRV-ATTR:hypervisor_hostname'] !== hostName) {
      throw new RallyException('Instance host and aggregate host are different');
    }
  },
});
