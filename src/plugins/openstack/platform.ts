/**
 * The OpenStack platform as contexts and scenarios see it. The CLI resolves a credential
 * (src/cloud), opens one OpenStackCloud for the run and hands it to every workload through
 * runWorkload's `environment` under the key `openstack`; contexts then fill Rally's context data
 * (admin, users, tenants, ...), typed here.
 */
import { InfraError } from '../../common/errors.js';
import type { ContextRunApi } from '../../engine/context.js';
import type { ScenarioContext, WorkloadInfo } from '../../engine/scenario.js';
import type { OpenStackCloud, OpenStackSession } from '../../openstack/index.js';

/** What runWorkload's `environment.openstack` holds. */
export interface OpenStackPlatform {
  cloud: OpenStackCloud;
}

/** A user the scenarios act as: created by the `users` context, or an existing user of the credential. */
export interface OpenStackUser {
  id: string;
  name: string;
  projectId: string;
  /** authenticated lazily on first use; shared by the iterations that pick this user */
  session: OpenStackSession;
}

/** A project ("tenant" in Rally's context) and what contexts created in it. */
export interface OpenStackTenant {
  id: string;
  name: string;
  /** ids of this project's users in `users` */
  userIds: string[];
  /** resources contexts made for this project (images, networks, volumes, servers, ...) by kind */
  [resource: string]: unknown;
}

declare module '../../engine/scenario.js' {
  interface ContextData {
    /** the admin's session, when the credential has an admin */
    admin?: { session: OpenStackSession };
    users?: OpenStackUser[];
    /** project id -> project */
    tenants?: Record<string, OpenStackTenant>;
    /** the `users` context's user_choice_method: how each iteration picks its user */
    user_choice_method?: 'random' | 'round_robin';
  }
}

/** The run's OpenStack cloud; a clear error when the task needs one and none was given. */
export function openstackPlatform(info: WorkloadInfo): OpenStackPlatform {
  const platform = info.environment['openstack'] as OpenStackPlatform | undefined;
  if (!platform) {
    throw new InfraError(
      `${info.scenarioName} needs an OpenStack cloud: give --os-cloud NAME (clouds.yaml), OS_* variables, or --env-spec FILE`,
    );
  }
  return platform;
}

/** The platform from a context's setup/cleanup. */
export function contextPlatform(api: ContextRunApi): OpenStackPlatform {
  return openstackPlatform(api.workload);
}

/** The platform from a scenario iteration. */
export function scenarioPlatform(ctx: ScenarioContext): OpenStackPlatform {
  return openstackPlatform(ctx.workload);
}
