/**
 * Neutron (network, /v2.0): networks, subnets, routers and their interfaces, ports, security
 * groups and rules, floating IPs, quotas, extensions and agents. Lists follow
 * `<collection>_links` pages (neutronclient's list_* do the same).
 */
import { listAll } from './pagination.js';
import type { ListOptions } from './pagination.js';
import type { OpenStackSession, RequestOptions } from './session.js';
import { apiPath, requireKey } from './session.js';

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs'>;

const opts = (options: CallOptions | undefined, extra: RequestOptions = {}): RequestOptions => ({ ...options, ...extra });

/** The CRUD calls of one Neutron resource kind: POST/GET/PUT/DELETE on /<collection>[/id]. */
async function create<T>(session: OpenStackSession, collection: string, key: string, body: object, options?: CallOptions): Promise<T> {
  return requireKey<T>(await session.request('network', 'POST', `/${collection}`, opts(options, { body: { [key]: body } })), key);
}
async function show<T>(session: OpenStackSession, collection: string, key: string, id: string, options?: CallOptions): Promise<T> {
  return requireKey<T>(await session.request('network', 'GET', `/${collection}${apiPath`/${id}`}`, opts(options)), key);
}
async function update<T>(session: OpenStackSession, collection: string, key: string, id: string, changes: object, options?: CallOptions): Promise<T> {
  return requireKey<T>(await session.request('network', 'PUT', `/${collection}${apiPath`/${id}`}`, opts(options, { body: { [key]: changes } })), key);
}
async function remove(session: OpenStackSession, collection: string, id: string, options?: CallOptions): Promise<void> {
  await session.request('network', 'DELETE', `/${collection}${apiPath`/${id}`}`, opts(options));
}

// ---- networks

export interface Network {
  id: string;
  name: string;
  status: string;
  admin_state_up: boolean;
  shared: boolean;
  subnets: string[];
  project_id: string;
  tenant_id?: string;
  'router:external'?: boolean;
  'provider:network_type'?: string;
  'provider:physical_network'?: string | null;
  'provider:segmentation_id'?: number | null;
  mtu?: number;
  availability_zones?: string[];
  [key: string]: unknown;
}

export interface CreateNetworkRequest {
  name?: string;
  admin_state_up?: boolean;
  shared?: boolean;
  project_id?: string;
  'router:external'?: boolean;
  'provider:network_type'?: string;
  'provider:physical_network'?: string;
  'provider:segmentation_id'?: number;
  port_security_enabled?: boolean;
  mtu?: number;
  [key: string]: unknown;
}

export const createNetwork = (s: OpenStackSession, network: CreateNetworkRequest, o?: CallOptions) => create<Network>(s, 'networks', 'network', network, o);
export const getNetwork = (s: OpenStackSession, id: string, o?: CallOptions) => show<Network>(s, 'networks', 'network', id, o);
export const updateNetwork = (s: OpenStackSession, id: string, changes: Partial<CreateNetworkRequest>, o?: CallOptions) => update<Network>(s, 'networks', 'network', id, changes, o);
export const deleteNetwork = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'networks', id, o);
export const listNetworks = (s: OpenStackSession, o?: ListOptions) => listAll<Network>(s, 'network', '/networks', 'networks', 'links', o);

// ---- subnets

export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: 4 | 6;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: Array<{ start: string; end: string }>;
  dns_nameservers: string[];
  project_id: string;
  [key: string]: unknown;
}

export interface CreateSubnetRequest {
  network_id: string;
  cidr?: string;
  ip_version: 4 | 6;
  name?: string;
  gateway_ip?: string | null;
  enable_dhcp?: boolean;
  allocation_pools?: Array<{ start: string; end: string }>;
  dns_nameservers?: string[];
  subnetpool_id?: string;
  ipv6_ra_mode?: string;
  ipv6_address_mode?: string;
  project_id?: string;
  [key: string]: unknown;
}

export const createSubnet = (s: OpenStackSession, subnet: CreateSubnetRequest, o?: CallOptions) => create<Subnet>(s, 'subnets', 'subnet', subnet, o);
export const getSubnet = (s: OpenStackSession, id: string, o?: CallOptions) => show<Subnet>(s, 'subnets', 'subnet', id, o);
export const updateSubnet = (s: OpenStackSession, id: string, changes: Partial<CreateSubnetRequest>, o?: CallOptions) => update<Subnet>(s, 'subnets', 'subnet', id, changes, o);
export const deleteSubnet = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'subnets', id, o);
export const listSubnets = (s: OpenStackSession, o?: ListOptions) => listAll<Subnet>(s, 'network', '/subnets', 'subnets', 'links', o);

// ---- routers

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: Array<{ subnet_id?: string; ip_address?: string }>;
}

export interface Router {
  id: string;
  name: string;
  status: string;
  admin_state_up: boolean;
  external_gateway_info: ExternalGatewayInfo | null;
  project_id: string;
  distributed?: boolean;
  ha?: boolean;
  [key: string]: unknown;
}

export interface CreateRouterRequest {
  name?: string;
  admin_state_up?: boolean;
  external_gateway_info?: ExternalGatewayInfo | null;
  project_id?: string;
  distributed?: boolean;
  ha?: boolean;
  [key: string]: unknown;
}

export interface RouterInterface {
  id: string;
  subnet_id: string;
  subnet_ids?: string[];
  port_id: string;
  network_id?: string;
  project_id?: string;
}

export const createRouter = (s: OpenStackSession, router: CreateRouterRequest, o?: CallOptions) => create<Router>(s, 'routers', 'router', router, o);
export const getRouter = (s: OpenStackSession, id: string, o?: CallOptions) => show<Router>(s, 'routers', 'router', id, o);
export const updateRouter = (s: OpenStackSession, id: string, changes: Partial<CreateRouterRequest>, o?: CallOptions) => update<Router>(s, 'routers', 'router', id, changes, o);
export const deleteRouter = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'routers', id, o);
export const listRouters = (s: OpenStackSession, o?: ListOptions) => listAll<Router>(s, 'network', '/routers', 'routers', 'links', o);

/** PUT /routers/{id}/add_router_interface with {subnet_id} or {port_id}. */
export async function addRouterInterface(session: OpenStackSession, routerId: string, target: { subnet_id: string } | { port_id: string }, options?: CallOptions): Promise<RouterInterface> {
  return (await session.request<RouterInterface>('network', 'PUT', apiPath`/routers/${routerId}/add_router_interface`, opts(options, { body: target }))).body;
}

/** PUT /routers/{id}/remove_router_interface with {subnet_id} or {port_id}. */
export async function removeRouterInterface(session: OpenStackSession, routerId: string, target: { subnet_id: string } | { port_id: string }, options?: CallOptions): Promise<RouterInterface> {
  return (await session.request<RouterInterface>('network', 'PUT', apiPath`/routers/${routerId}/remove_router_interface`, opts(options, { body: target }))).body;
}

// ---- ports

export interface Port {
  id: string;
  name: string;
  network_id: string;
  device_id: string;
  device_owner: string;
  status: string;
  admin_state_up: boolean;
  mac_address: string;
  fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
  security_groups: string[];
  project_id: string;
  'binding:vif_type'?: string;
  'binding:host_id'?: string;
  [key: string]: unknown;
}

export interface CreatePortRequest {
  network_id: string;
  name?: string;
  admin_state_up?: boolean;
  fixed_ips?: Array<{ subnet_id?: string; ip_address?: string }>;
  security_groups?: string[];
  device_id?: string;
  device_owner?: string;
  port_security_enabled?: boolean;
  project_id?: string;
  [key: string]: unknown;
}

export const createPort = (s: OpenStackSession, port: CreatePortRequest, o?: CallOptions) => create<Port>(s, 'ports', 'port', port, o);
export const getPort = (s: OpenStackSession, id: string, o?: CallOptions) => show<Port>(s, 'ports', 'port', id, o);
export const updatePort = (s: OpenStackSession, id: string, changes: Partial<CreatePortRequest>, o?: CallOptions) => update<Port>(s, 'ports', 'port', id, changes, o);
export const deletePort = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'ports', id, o);
export const listPorts = (s: OpenStackSession, o?: ListOptions) => listAll<Port>(s, 'network', '/ports', 'ports', 'links', o);

// ---- security groups and rules

export interface SecurityGroupRule {
  id: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  project_id: string;
  description?: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  project_id: string;
  security_group_rules: SecurityGroupRule[];
  stateful?: boolean;
  [key: string]: unknown;
}

export interface CreateSecurityGroupRuleRequest {
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string | number | null;
  port_range_min?: number | null;
  port_range_max?: number | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  description?: string;
}

export const createSecurityGroup = (s: OpenStackSession, group: { name: string; description?: string; project_id?: string; stateful?: boolean }, o?: CallOptions) =>
  create<SecurityGroup>(s, 'security-groups', 'security_group', group, o);
export const getSecurityGroup = (s: OpenStackSession, id: string, o?: CallOptions) => show<SecurityGroup>(s, 'security-groups', 'security_group', id, o);
export const updateSecurityGroup = (s: OpenStackSession, id: string, changes: { name?: string; description?: string }, o?: CallOptions) =>
  update<SecurityGroup>(s, 'security-groups', 'security_group', id, changes, o);
export const deleteSecurityGroup = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'security-groups', id, o);
export const listSecurityGroups = (s: OpenStackSession, o?: ListOptions) => listAll<SecurityGroup>(s, 'network', '/security-groups', 'security_groups', 'links', o);

export const createSecurityGroupRule = (s: OpenStackSession, rule: CreateSecurityGroupRuleRequest, o?: CallOptions) =>
  create<SecurityGroupRule>(s, 'security-group-rules', 'security_group_rule', rule, o);
export const getSecurityGroupRule = (s: OpenStackSession, id: string, o?: CallOptions) => show<SecurityGroupRule>(s, 'security-group-rules', 'security_group_rule', id, o);
export const deleteSecurityGroupRule = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'security-group-rules', id, o);
export const listSecurityGroupRules = (s: OpenStackSession, o?: ListOptions) =>
  listAll<SecurityGroupRule>(s, 'network', '/security-group-rules', 'security_group_rules', 'links', o);

// ---- floating IPs

export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  router_id: string | null;
  status: string;
  project_id: string;
  [key: string]: unknown;
}

export const createFloatingIp = (
  s: OpenStackSession,
  floatingIp: { floating_network_id: string; port_id?: string; fixed_ip_address?: string; floating_ip_address?: string; subnet_id?: string; description?: string },
  o?: CallOptions,
) => create<FloatingIp>(s, 'floatingips', 'floatingip', floatingIp, o);
export const getFloatingIp = (s: OpenStackSession, id: string, o?: CallOptions) => show<FloatingIp>(s, 'floatingips', 'floatingip', id, o);
export const updateFloatingIp = (s: OpenStackSession, id: string, changes: { port_id?: string | null; fixed_ip_address?: string | null }, o?: CallOptions) =>
  update<FloatingIp>(s, 'floatingips', 'floatingip', id, changes, o);
export const deleteFloatingIp = (s: OpenStackSession, id: string, o?: CallOptions) => remove(s, 'floatingips', id, o);
export const listFloatingIps = (s: OpenStackSession, o?: ListOptions) => listAll<FloatingIp>(s, 'network', '/floatingips', 'floatingips', 'links', o);

// ---- quotas, extensions, agents

/** Neutron quota: -1 is unlimited. */
export interface NetworkQuota {
  network?: number;
  subnet?: number;
  port?: number;
  router?: number;
  floatingip?: number;
  security_group?: number;
  security_group_rule?: number;
  subnetpool?: number;
  rbac_policy?: number;
  [key: string]: number | undefined;
}

export async function getNetworkQuotas(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<NetworkQuota> {
  return requireKey<NetworkQuota>(await session.request('network', 'GET', apiPath`/quotas/${projectId}`, opts(options)), 'quota');
}

export async function updateNetworkQuotas(session: OpenStackSession, projectId: string, quota: NetworkQuota, options?: CallOptions): Promise<NetworkQuota> {
  return requireKey<NetworkQuota>(await session.request('network', 'PUT', apiPath`/quotas/${projectId}`, opts(options, { body: { quota } })), 'quota');
}

/** DELETE /quotas/{project}: back to the defaults. */
export async function resetNetworkQuotas(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<void> {
  await session.request('network', 'DELETE', apiPath`/quotas/${projectId}`, opts(options));
}

export interface NetworkExtension {
  alias: string;
  name: string;
  description: string;
  updated?: string;
}

export async function listNetworkExtensions(session: OpenStackSession, options?: CallOptions): Promise<NetworkExtension[]> {
  return requireKey<NetworkExtension[]>(await session.request('network', 'GET', '/extensions', opts(options)), 'extensions');
}

export interface NetworkAgent {
  id: string;
  agent_type: string;
  binary: string;
  host: string;
  alive: boolean;
  admin_state_up: boolean;
  [key: string]: unknown;
}

export const listNetworkAgents = (s: OpenStackSession, o?: ListOptions) => listAll<NetworkAgent>(s, 'network', '/agents', 'agents', 'links', o);
