/**
 * The quotas context (rally_openstack/task/contexts/quotas, order 300): sets the given nova,
 * cinder and neutron quotas on every project of the users context; in cleanup, projects it
 * created get their quotas deleted (back to defaults), existing users' projects get their
 * original quotas back. Services missing from the catalog are skipped (manila and designate
 * are accepted by the schema and ignored: rally-gate has no client for them).
 */
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { apiPath, type OpenStackSession, type ServiceType } from '../../../openstack/index.js';
import { contextPlatform } from '../platform.js';
import { serviceAvailable } from '../scenario-base.js';

type QuotaValues = Record<string, number>;

interface QuotaService {
  serviceType: ServiceType;
  /** the quota path of a project and the JSON key of its body */
  path: (projectId: string) => string;
  bodyKey: string;
  keys: string[];
}

const QUOTA_SERVICES: Record<string, QuotaService> = {
  nova: {
    serviceType: 'compute',
    path: (id) => apiPath`/os-quota-sets/${id}`,
    bodyKey: 'quota_set',
    keys: ['instances', 'cores', 'ram', 'floating_ips', 'fixed_ips', 'metadata_items', 'injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes', 'key_pairs', 'security_groups', 'security_group_rules', 'server_groups', 'server_group_members'],
  },
  cinder: {
    serviceType: 'block-storage',
    path: (id) => apiPath`/os-quota-sets/${id}`,
    bodyKey: 'quota_set',
    keys: ['gigabytes', 'snapshots', 'volumes', 'backups', 'backup_gigabytes'],
  },
  neutron: {
    serviceType: 'network',
    path: (id) => apiPath`/quotas/${id}`,
    bodyKey: 'quota',
    keys: ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule', 'pool', 'vip', 'health_monitor', 'trunk'],
  },
};

const quotaSchema = (keys: string[]): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer', minimum: -1 }])),
});

interface Change {
  service: string;
  projectId: string;
  /** the quotas before, for existing users' projects (restored instead of deleted) */
  original?: QuotaValues;
}

async function getQuotas(admin: OpenStackSession, service: QuotaService, projectId: string, signal?: AbortSignal): Promise<QuotaValues> {
  const body = await admin.get<Record<string, Record<string, unknown>>>(service.serviceType, service.path(projectId), signal ? { signal } : {});
  const current = body[service.bodyKey] ?? {};
  return Object.fromEntries(service.keys.filter((k) => typeof current[k] === 'number').map((k) => [k, current[k] as number]));
}

class QuotasContext {
  private readonly changes: Change[] = [];

  async setup(api: ContextRunApi): Promise<void> {
    const admin = contextPlatform(api).cloud.admin();
    const config = (api.config ?? {}) as Record<string, QuotaValues>;
    const existing = api.data.existing_users === true;
    for (const [name, values] of Object.entries(config)) {
      const service = QUOTA_SERVICES[name];
      if (!service || Object.keys(values).length === 0) continue;
      if (!(await serviceAvailable(admin, service.serviceType, api.signal))) continue;
      for (const projectId of Object.keys(api.data.tenants ?? {})) {
        const change: Change = { service: name, projectId };
        if (existing) change.original = await getQuotas(admin, service, projectId, api.signal);
        this.changes.push(change);
        await admin.put(service.serviceType, service.path(projectId), { [service.bodyKey]: values }, { signal: api.signal });
      }
    }
  }

  async cleanup(api: ContextRunApi): Promise<void> {
    const admin = contextPlatform(api).cloud.admin();
    const failures: string[] = [];
    for (const change of this.changes) {
      const service = QUOTA_SERVICES[change.service]!;
      try {
        if (change.original) await admin.put(service.serviceType, service.path(change.projectId), { [service.bodyKey]: change.original });
        else await admin.delete(service.serviceType, service.path(change.projectId));
      } catch (error) {
        failures.push(`${change.service} quotas of ${change.projectId}: ${(error as Error).message}`);
      }
    }
    this.changes.length = 0;
    if (failures.length > 0) throw new Error(failures.join('; '));
  }
}

export const quotasContext = registerContext({
  name: 'quotas',
  platform: 'openstack',
  description: 'Sets OpenStack Tenants quotas.',
  order: 300,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      nova: quotaSchema(QUOTA_SERVICES['nova']!.keys),
      cinder: quotaSchema(QUOTA_SERVICES['cinder']!.keys),
      neutron: quotaSchema(QUOTA_SERVICES['neutron']!.keys),
      manila: { type: 'object' },
      designate: { type: 'object' },
    },
  },
  create: () => new QuotasContext(),
});
