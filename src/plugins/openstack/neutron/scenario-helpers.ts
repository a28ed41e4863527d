/**
 * What the Neutron scenarios share (rally_openstack/task/scenarios/neutron/utils.py
 * NeutronBaseScenario): the user's and the admin's NeutronService, the network from the
 * `network` context or a new one, and the arg checks Rally's validators make.
 */
import type { ConfigProblem } from '../../registry.js';
import type { ScenarioContext } from '../../../engine/scenario.js';
import type { Network, Subnet } from '../../../openstack/network.js';
import { randomName } from '../names.js';
import { adminSession, scenarioUser } from '../scenario-base.js';
import { NeutronService } from './service.js';

/** The iteration user's Neutron, naming what it creates s_rally_<owner>_<random>. */
export function userNeutron(ctx: ScenarioContext): NeutronService {
  return new NeutronService({
    session: scenarioUser(ctx).session,
    atomic: (name, fn) => ctx.atomic(name, fn),
    randomName: () => randomName(ctx, 'scenario'),
    signal: ctx.signal,
  });
}

/** The admin's Neutron (port binding and other admin-only calls). */
export function adminNeutron(ctx: ScenarioContext): NeutronService {
  return new NeutronService({
    session: adminSession(ctx),
    atomic: (name, fn) => ctx.atomic(name, fn),
    randomName: () => randomName(ctx, 'scenario'),
    signal: ctx.signal,
  });
}

/** The networks the `network` context made in the iteration user's project, if any. */
export function contextNetworks(ctx: ScenarioContext): Network[] | undefined {
  const networks = scenarioUser(ctx).tenant['networks'];
  return Array.isArray(networks) ? (networks as Network[]) : undefined;
}

/**
 * _get_or_create_network: network number (iteration % count) of the project's context networks,
 * else a new one (Rally warns that this fallback is deprecated, and still does it).
 */
export async function getOrCreateNetwork(ctx: ScenarioContext, neutron: NeutronService, networkCreateArgs: Record<string, unknown> | undefined): Promise<Network> {
  const networks = contextNetworks(ctx);
  if (networks && networks.length > 0) return networks[ctx.iteration % networks.length]!;
  return neutron.createNetwork(networkCreateArgs ?? {});
}

/** A free-form dict of request options (Rally: "dict, POST /v2.0/... request options"); null = not given. */
export const requestArgs = { type: ['object', 'null'], additionalProperties: true } as const;

/** Rally's "restricted_parameters" validator: `name` may not be given in these sub-dicts. */
export function restrictedNameIn(...subdicts: string[]): (args: unknown) => ConfigProblem[] {
  return (args) => {
    const object = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
    return subdicts.flatMap((subdict) => {
      const source = object[subdict];
      if (typeof source === 'object' && source !== null && 'name' in source) {
        return [{ path: [subdict, 'name'], message: `You can't specify parameters 'name' in '${subdict}'` }];
      }
      return [];
    });
  };
}

/** Rally's "number" validator for a positive integer count (minval=1, integer_only). */
export function positiveIntegerArg(name: string): (args: unknown) => ConfigProblem[] {
  return (args) => {
    const value = (typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[name] : undefined);
    if (value === undefined) return [];
    if (typeof value !== 'number') return [{ path: [name], message: `${name} is ${String(value)} which is not a valid int` }];
    if (!Number.isInteger(value)) return [{ path: [name], message: `${name} is ${value} which hasn't int type` }];
    if (value < 1) return [{ path: [name], message: `${name} is ${value} which is less than the minimum (1)` }];
    return [];
  };
}

/** Several validators in order. */
export function allOf(...checks: Array<(args: unknown) => ConfigProblem[]>): (args: unknown) => ConfigProblem[] {
  return (args) => checks.flatMap((check) => check(args));
}

/** Rally's scenarios copy the dicts they are given; ours are frozen, so copy before adding keys. */
export function copyArgs(args: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return { ...(args ?? {}) };
}

/** Default contexts of every Neutron scenario that creates resources. */
export const NEUTRON_CLEANUP = { cleanup: ['neutron'] };

/** The args of the scenarios that make a network with subnets (and maybe routers). */
export const SUBNET_ARGS = {
  network_create_args: requestArgs,
  subnet_create_args: requestArgs,
  subnet_cidr_start: { type: ['string', 'null'] },
  subnets_per_network: {},
} as const;

export interface SubnetArgs {
  network_create_args?: Record<string, unknown> | null;
  subnet_create_args?: Record<string, unknown> | null;
  subnet_cidr_start?: string | null;
  subnets_per_network?: number;
}

/** The args of the router scenarios (create_network_topology with a router per subnet). */
export const ROUTER_ARGS = { ...SUBNET_ARGS, router_create_args: requestArgs } as const;

export interface RouterArgs extends SubnetArgs {
  router_create_args?: Record<string, unknown> | null;
}

/** The topology every router scenario starts with: a network, its subnets, one router per subnet. */
export function createRouterTopology(neutron: import('./service.js').NeutronService, args: RouterArgs): Promise<import('./service.js').NetworkTopology> {
  return neutron.createNetworkTopology({
    networkCreateArgs: args.network_create_args ?? {},
    routerCreateArgs: args.router_create_args ?? {},
    routerPerSubnet: true,
    // start_cidr is always set (maybe to null), which turns dualstack off, as in Rally
    subnetCreateArgs: { ...(args.subnet_create_args ?? {}), start_cidr: args.subnet_cidr_start ?? null },
    subnetsCount: args.subnets_per_network ?? 1,
  });
}

/** The args of the port scenarios. */
export const PORT_ARGS = { network_create_args: requestArgs, port_create_args: requestArgs, ports_per_network: {} } as const;

export interface PortArgs {
  network_create_args?: Record<string, unknown> | null;
  port_create_args?: Record<string, unknown> | null;
  ports_per_network?: number;
}

/** Schema, checks and default contexts of the subnet scenarios that take SUBNET_ARGS only. */
export const SUBNET_SCENARIO = {
  schema: { type: 'object', properties: SUBNET_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
};

/** Schema, checks and default contexts of the port scenarios that take PORT_ARGS only. */
export const PORT_SCENARIO = {
  schema: { type: 'object', properties: PORT_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'port_create_args'), positiveIntegerArg('ports_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
};

/** subnets_per_network subnets on `networkId`, one after another (Rally's _create_subnets loop). */
export async function createSubnets(neutron: NeutronService, networkId: string, args: SubnetArgs): Promise<Subnet[]> {
  const subnets: Subnet[] = [];
  for (let i = 0; i < (args.subnets_per_network ?? 1); i++) {
    subnets.push(await neutron.createSubnet(networkId, { start_cidr: args.subnet_cidr_start ?? null, ...(args.subnet_create_args ?? {}) }));
  }
  return subnets;
}
