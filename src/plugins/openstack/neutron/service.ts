/**
 * Rally's NeutronService (rally_openstack/common/services/network/neutron.py) over our client:
 * the same calls, request bodies and atomic action names ("neutron.create_network", ...), so
 * scenarios and the network context read like Rally's. Arguments that are absent stay out of
 * the request body (Rally's _clean_dict); names are random names of the owner.
 */
import { network as api, type OpenStackSession } from '../../../openstack/index.js';
import type { Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from '../../../openstack/network.js';
import { processCidrs, parseCidr } from './cidr.js';

export interface ServiceDeps {
  session: OpenStackSession;
  /** ctx.atomic of a scenario or api.atomic of a context */
  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** a fresh random name of the owner (scenario or context) */
  randomName(): string;
  signal?: AbortSignal;
}

type Args = Record<string, unknown>;

/** Rally's pythonic spellings of Neutron's attribute names (its _NETWORK_ARGS_MAP, reversed). */
const NETWORK_ARG_NAMES: Record<string, string> = {
  provider_network_type: 'provider:network_type',
  provider_physical_network: 'provider:physical_network',
  provider_segmentation_id: 'provider:segmentation_id',
  router_external: 'router:external',
};

/** Accepts both spellings like Rally's _args_adapter (both given is a TypeError there too). */
function neutronNetworkArgs(args: Args): Args {
  const body: Args = {};
  for (const [key, value] of Object.entries(args)) {
    const neutronKey = NETWORK_ARG_NAMES[key] ?? key;
    if (neutronKey in body) throw new TypeError(`accepts either ${key} keyword argument or ${neutronKey} but both were specified.`);
    body[neutronKey] = value;
  }
  return body;
}

/** Rally's "project_id" argument is sent as tenant_id. */
function withTenant(args: Args): Args {
  const { project_id: projectId, ...rest } = args;
  return projectId === undefined ? rest : { ...rest, tenant_id: projectId };
}

const ROUTER_INTERFACE_OWNERS = new Set([
  'network:router_interface',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
]);
const ROUTER_GATEWAY_OWNER = 'network:router_gateway';

export const IPV4_DEFAULT_DNS_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];
export const IPV6_DEFAULT_DNS_NAMESERVERS = ['dead:beaf::1', 'dead:beaf::2'];

export interface NetworkTopology {
  network: Network;
  subnets: Subnet[];
  routers: Router[];
}

export class NeutronService {
  constructor(private readonly deps: ServiceDeps) {}

  private get session(): OpenStackSession {
    return this.deps.session;
  }

  private get options(): { signal?: AbortSignal } {
    return this.deps.signal ? { signal: this.deps.signal } : {};
  }

  private timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.deps.atomic(name, fn);
  }

  // ---- networks

  createNetwork(args: Args = {}): Promise<Network> {
    return this.timed('neutron.create_network', () =>
      api.createNetwork(this.session, { name: this.deps.randomName(), ...withTenant(neutronNetworkArgs(args)) }, this.options),
    );
  }

  getNetwork(networkId: string): Promise<Network> {
    return this.timed('neutron.show_network', () => api.getNetwork(this.session, networkId, this.options));
  }

  updateNetwork(networkId: string, args: Args): Promise<Network> {
    const body = neutronNetworkArgs(args);
    if (Object.keys(body).length === 0) throw new TypeError('No updates for a network.');
    return this.timed('neutron.update_network', () => api.updateNetwork(this.session, networkId, body, this.options));
  }

  deleteNetwork(networkId: string): Promise<void> {
    return this.timed('neutron.delete_network', () => api.deleteNetwork(this.session, networkId, this.options));
  }

  listNetworks(filters: Args = {}): Promise<Network[]> {
    return this.timed('neutron.list_networks', () => api.listNetworks(this.session, { ...this.options, query: neutronNetworkArgs(filters) as never }));
  }

  // ---- subnets

  /**
   * create_subnet: a generated CIDR unless `cidr` is given (from start_cidr or the version's
   * default), Google's DNS servers by default, and an interface on `router_id` when given.
   */
  async createSubnet(networkId: string, args: Args = {}): Promise<Subnet> {
    const { router_id: routerId, start_cidr: startCidr, project_id: projectId, ...rest } = args;
    let { cidr, ip_version: ipVersion, dns_nameservers: dnsNameservers } = rest;
    const subnet = await this.timed('neutron.create_subnet', async () => {
      if (cidr === undefined) {
        [ipVersion, cidr] = processCidrs.next(typeof ipVersion === 'number' ? ipVersion : undefined, typeof startCidr === 'string' ? startCidr : null);
      }
      if (ipVersion === undefined) ipVersion = parseCidr(String(cidr)).version;
      if (dnsNameservers === undefined) dnsNameservers = ipVersion === 4 ? IPV4_DEFAULT_DNS_NAMESERVERS : IPV6_DEFAULT_DNS_NAMESERVERS;
      const body = {
        name: this.deps.randomName(),
        ...rest,
        network_id: networkId,
        ...(projectId === undefined ? {} : { tenant_id: projectId }),
        dns_nameservers: dnsNameservers,
        ip_version: ipVersion,
        cidr,
      } as api.CreateSubnetRequest;
      const created = await api.createSubnet(this.session, body, this.options);
      if (typeof routerId === 'string' && routerId) await this.addInterfaceToRouter(routerId, { subnet_id: created.id });
      return created;
    });
    return subnet;
  }

  getSubnet(subnetId: string): Promise<Subnet> {
    return this.timed('neutron.show_subnet', () => api.getSubnet(this.session, subnetId, this.options));
  }

  updateSubnet(subnetId: string, args: Args): Promise<Subnet> {
    if (Object.keys(args).length === 0) throw new TypeError('No updates for a subnet.');
    return this.timed('neutron.update_subnet', () => api.updateSubnet(this.session, subnetId, args, this.options));
  }

  deleteSubnet(subnetId: string): Promise<void> {
    return this.timed('neutron.delete_subnet', () => api.deleteSubnet(this.session, subnetId, this.options));
  }

  listSubnets(filters: Args = {}): Promise<Subnet[]> {
    return this.timed('neutron.list_subnets', () => api.listSubnets(this.session, { ...this.options, query: filters as never }));
  }

  // ---- routers

  /**
   * create_router; with discover_external_gw the first external network becomes the gateway
   * (enable_snat only when asked: Rally also sets it for admins with ext-gw-mode, which the
   * users scenarios run as are not).
   */
  async createRouter(args: Args = {}): Promise<Router> {
    const { discover_external_gw: discover = false, enable_snat: enableSnat, ...rest } = args;
    const body: Args = { name: this.deps.randomName(), ...withTenant(rest) };
    if (body['external_gateway_info'] === undefined && discover === true) {
      const external = await this.listNetworks({ 'router:external': true });
      const first = external[0];
      if (first) body['external_gateway_info'] = { network_id: first.id, ...(enableSnat === true ? { enable_snat: true } : {}) };
    }
    return this.timed('neutron.create_router', () => api.createRouter(this.session, body, this.options));
  }

  getRouter(routerId: string): Promise<Router> {
    return this.timed('neutron.show_router', () => api.getRouter(this.session, routerId, this.options));
  }

  updateRouter(routerId: string, args: Args): Promise<Router> {
    if (Object.keys(args).length === 0) throw new TypeError('No updates for a router.');
    return this.timed('neutron.update_router', () => api.updateRouter(this.session, routerId, args, this.options));
  }

  deleteRouter(routerId: string): Promise<void> {
    return this.timed('neutron.delete_router', () => api.deleteRouter(this.session, routerId, this.options));
  }

  listRouters(filters: Args = {}): Promise<Router[]> {
    return this.timed('neutron.list_routers', () => api.listRouters(this.session, { ...this.options, query: filters as never }));
  }

  addInterfaceToRouter(routerId: string, target: { subnet_id: string } | { port_id: string }): Promise<unknown> {
    return this.timed('neutron.add_interface_router', () => api.addRouterInterface(this.session, routerId, target, this.options));
  }

  /** Like Rally, a 400/404 (already gone) is not an error. */
  removeInterfaceFromRouter(routerId: string, target: { subnet_id: string } | { port_id: string }): Promise<void> {
    return this.timed('neutron.remove_interface_router', async () => {
      try {
        await api.removeRouterInterface(this.session, routerId, target, this.options);
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status !== 400 && status !== 404) throw error;
      }
    });
  }

  removeGatewayFromRouter(routerId: string): Promise<void> {
    return this.timed('neutron.remove_gateway_router', async () => {
      await api.updateRouter(this.session, routerId, { external_gateway_info: null }, this.options);
    });
  }

  // ---- ports

  createPort(networkId: string, args: Args = {}): Promise<Port> {
    return this.timed('neutron.create_port', () =>
      api.createPort(this.session, { ...withTenant(args), network_id: networkId, name: this.deps.randomName() }, this.options),
    );
  }

  getPort(portId: string): Promise<Port> {
    return this.timed('neutron.show_port', () => api.getPort(this.session, portId, this.options));
  }

  updatePort(portId: string, args: Args): Promise<Port> {
    if (Object.keys(args).length === 0) throw new TypeError('No updates for a port.');
    return this.timed('neutron.update_port', () => api.updatePort(this.session, portId, args, this.options));
  }

  /** delete_port: router ports are detached from their router instead (Rally's delete_port). */
  deletePort(port: string | Pick<Port, 'id' | 'device_owner' | 'device_id'>): Promise<void> {
    const target = typeof port === 'string' ? { id: port, device_owner: '', device_id: '' } : port;
    return this.timed('neutron.delete_port', async () => {
      if (ROUTER_INTERFACE_OWNERS.has(target.device_owner) || target.device_owner === ROUTER_GATEWAY_OWNER) {
        if (target.device_owner === ROUTER_GATEWAY_OWNER) await this.removeGatewayFromRouter(target.device_id);
        await this.removeInterfaceFromRouter(target.device_id, { port_id: target.id });
        return;
      }
      try {
        await api.deletePort(this.session, target.id, this.options);
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
    });
  }

  listPorts(filters: Args = {}): Promise<Port[]> {
    return this.timed('neutron.list_ports', () => api.listPorts(this.session, { ...this.options, query: filters as never }));
  }

  // ---- security groups and rules

  createSecurityGroup(args: Args = {}): Promise<SecurityGroup> {
    const { name, ...rest } = args;
    const body = { ...withTenant(rest), name: typeof name === 'string' && name ? name : this.deps.randomName() };
    return this.timed('neutron.create_security_group', () => api.createSecurityGroup(this.session, body as { name: string }, this.options));
  }

  getSecurityGroup(groupId: string): Promise<SecurityGroup> {
    return this.timed('neutron.show_security_group', () => api.getSecurityGroup(this.session, groupId, this.options));
  }

  updateSecurityGroup(groupId: string, args: Args): Promise<SecurityGroup> {
    if (Object.keys(args).length === 0) throw new TypeError('No updates for a security group.');
    return this.timed('neutron.update_security_group', () => api.updateSecurityGroup(this.session, groupId, args, this.options));
  }

  deleteSecurityGroup(groupId: string): Promise<void> {
    return this.timed('neutron.delete_security_group', () => api.deleteSecurityGroup(this.session, groupId, this.options));
  }

  listSecurityGroups(filters: Args = {}): Promise<SecurityGroup[]> {
    return this.timed('neutron.list_security_groups', () => api.listSecurityGroups(this.session, { ...this.options, query: filters as never }));
  }

  /** create_security_group_rule: ingress tcp unless told otherwise. */
  createSecurityGroupRule(groupId: string, args: Args = {}): Promise<SecurityGroupRule> {
    const body = { direction: 'ingress', protocol: 'tcp', ...args, security_group_id: groupId } as api.CreateSecurityGroupRuleRequest;
    return this.timed('neutron.create_security_group_rule', () => api.createSecurityGroupRule(this.session, body, this.options));
  }

  getSecurityGroupRule(ruleId: string): Promise<SecurityGroupRule> {
    return this.timed('neutron.show_security_group_rule', () => api.getSecurityGroupRule(this.session, ruleId, this.options));
  }

  deleteSecurityGroupRule(ruleId: string): Promise<void> {
    return this.timed('neutron.delete_security_group_rule', () => api.deleteSecurityGroupRule(this.session, ruleId, this.options));
  }

  listSecurityGroupRules(filters: Args = {}): Promise<SecurityGroupRule[]> {
    return this.timed('neutron.list_security_group_rules', () => api.listSecurityGroupRules(this.session, { ...this.options, query: filters as never }));
  }

  // ---- agents

  listAgents(filters: Args = {}): Promise<api.NetworkAgent[]> {
    return this.timed('neutron.list_agents', () => api.listNetworkAgents(this.session, { ...this.options, query: filters as never }));
  }

  // ---- topologies

  /**
   * create_network_topology: a network, `subnetsCount` subnets (IPv4/IPv6 alternating when
   * dualstack and no cidr/start_cidr/ip_version is given) and, when routerCreateArgs is given, one
   * router per subnet or one for all, each subnet plugged into its router.
   */
  async createNetworkTopology(options: {
    networkCreateArgs?: Args;
    routerCreateArgs?: Args | null;
    routerPerSubnet?: boolean;
    subnetCreateArgs?: Args;
    subnetsCount?: number;
    subnetsDualstack?: boolean;
  }): Promise<NetworkTopology> {
    const { networkCreateArgs = {}, routerCreateArgs = null, routerPerSubnet = false, subnetsCount = 1, subnetsDualstack = false } = options;
    const subnetArgs: Args = { ...(options.subnetCreateArgs ?? {}) };
    const network = await this.createNetwork(networkCreateArgs);
    const routers: Router[] = [];
    if (routerCreateArgs) {
      for (let i = 0; i < (routerPerSubnet ? subnetsCount : 1); i++) routers.push(await this.createRouter(routerCreateArgs));
    }
    const useDualstack = !('cidr' in subnetArgs) && !('start_cidr' in subnetArgs) && !('ip_version' in subnetArgs);
    const subnets: Subnet[] = [];
    for (let i = 0; i < subnetsCount; i++) {
      if (useDualstack) subnetArgs['ip_version'] = subnetsDualstack && i % 2 === 1 ? 6 : 4;
      const router = routerPerSubnet ? routers[i] : routers[0];
      subnets.push(await this.createSubnet(network.id, router ? { ...subnetArgs, router_id: router.id } : subnetArgs));
    }
    network.subnets = subnets.map((s) => s.id);
    return { network, subnets, routers };
  }
}
