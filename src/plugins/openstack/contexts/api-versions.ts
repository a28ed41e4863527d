/**
 * The api_versions context (rally_openstack/task/contexts/api_versions.py, order 150): per Rally
 * client name ("nova", "cinder", "glance", "neutron", "keystone"), a version (nova "2.52" and
 * cinder "3.59" become microversions) and/or the catalog service type (or a service name the
 * admin resolves to its type). Applied like Rally's api_info update: the admin's and every
 * user's session are replaced by sessions with the merged api_info.
 */
import type { ApiInfo } from '../../../cloud/credential.js';
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { identity, OpenStackSession } from '../../../openstack/index.js';
import { contextPlatform } from '../platform.js';

interface ClientVersion {
  version?: string | number;
  service_name?: string;
  service_type?: string;
}

const versionSchema = { anyOf: [{ type: 'string', description: 'a string-like version.' }, { type: 'number', description: 'a number-like version.' }] };

class ApiVersionsContext {
  async setup(api: ContextRunApi): Promise<void> {
    const { cloud } = contextPlatform(api);
    const config = (api.config ?? {}) as Record<string, ClientVersion>;
    const users = api.data.users ?? [];
    const probe = users[0]?.session ?? api.data.admin?.session;
    if (!probe) throw new RallyException('api_versions needs users or an admin', 'ContextSetupFailure');
    const catalogTypes = new Set((await probe.token(api.signal)).catalog.services.map((s) => s.type));
    let adminServices: Map<string, string> | undefined;
    const apiInfo: Record<string, ApiInfo> = { ...cloud.credential.apiInfo };
    for (const [client, conf] of Object.entries(config)) {
      const info: ApiInfo = { ...apiInfo[client] };
      if (conf.version !== undefined) info.version = String(conf.version);
      if (conf.service_type !== undefined) {
        if (!catalogTypes.has(conf.service_type)) {
          throw new RallyException(`There is no service with '${conf.service_type}' type in your environment.`, 'ValidationError');
        }
        info.serviceType = conf.service_type;
      } else if (conf.service_name !== undefined) {
        const admin = api.data.admin?.session;
        if (!admin) throw new RallyException("Setting 'service_name' is admin only operation.", 'ContextSetupFailure');
        adminServices ??= new Map((await identity.listServices(admin, { signal: api.signal })).map((s) => [s.name ?? '', s.type]));
        const type = adminServices.get(conf.service_name);
        if (!type) throw new RallyException(`There is no '${conf.service_name}' service in your environment`, 'ValidationError');
        info.serviceType = type;
      }
      apiInfo[client] = info;
    }
    const withApiInfo = (session: OpenStackSession): OpenStackSession =>
      new OpenStackSession({ transport: cloud.transport, settings: { ...session.settings, apiInfo }, auth: session.auth });
    if (api.data.admin) api.data.admin = { session: withApiInfo(api.data.admin.session) };
    api.data.users = users.map((user) => ({ ...user, session: withApiInfo(user.session) }));
  }

  cleanup(): void {}
}

export const apiVersionsContext = registerContext({
  name: 'api_versions',
  platform: 'openstack',
  description: 'Context for specifying OpenStack clients versions and service types.',
  order: 150,
  schema: {
    type: 'object',
    patternProperties: {
      '^[a-z]+$': {
        type: 'object',
        oneOf: [
          { description: 'version only', properties: { version: versionSchema }, required: ['version'], additionalProperties: false },
          { description: 'version and service_name', properties: { version: versionSchema, service_name: { type: 'string' } }, required: ['service_name'], additionalProperties: false },
          { description: 'version and service_type', properties: { version: versionSchema, service_type: { type: 'string' } }, required: ['service_type'], additionalProperties: false },
        ],
      },
    },
    minProperties: 1,
    additionalProperties: false,
  },
  create: () => new ApiVersionsContext(),
});
