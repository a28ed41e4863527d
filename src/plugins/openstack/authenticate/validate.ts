/**
 * Authenticate.validate_<service>: a fresh client of the user makes `repetitions` cheap calls
 * inside the atomic action (so, like Rally, the first one authenticates and the service checks
 * the token). Only the services rally-gate's client knows: glance, nova, cinder, neutron.
 */
import type { ScenarioContext } from '../../../engine/scenario.js';
import { freshUserSession } from './session.js';
import type { OpenStackSession, ServiceType } from '../../../openstack/index.js';
import { registerOpenStackScenario } from '../scenario-base.js';

interface ValidateSpec {
  service: string;
  serviceType: ServiceType;
  /** one minimal call, as Rally's client makes it */
  call(session: OpenStackSession, signal: AbortSignal): Promise<unknown>;
}

const specs: ValidateSpec[] = [
  // glance_client.images.list(name=...) for a non-existent image
  { service: 'glance', serviceType: 'image', call: (s, signal) => s.get('image', '/images', { query: { name: '__intentionally_non_existent_image___' }, signal }) },
  // nova_client.flavors.list() (detailed by default)
  { service: 'nova', serviceType: 'compute', call: (s, signal) => s.get('compute', '/flavors/detail', { signal }) },
  // cinder_client.volume_types.list()
  { service: 'cinder', serviceType: 'block-storage', call: (s, signal) => s.get('block-storage', '/types', { signal }) },
  // neutron_client.list_networks()
  { service: 'neutron', serviceType: 'network', call: (s, signal) => s.get('network', '/networks', { signal }) },
];

for (const spec of specs) {
  registerOpenStackScenario({
    name: `Authenticate.validate_${spec.service}`,
      description: `Check ${spec.service[0]!.toUpperCase()}${spec.service.slice(1)} Client to ensure validation of token.`,
    schema: { type: 'object', properties: { repetitions: { type: 'integer', minimum: 1 } }, required: ['repetitions'], additionalProperties: false },
    async run(ctx: ScenarioContext, { repetitions }: { repetitions: number }) {
      const session = freshUserSession(ctx);
      await ctx.atomic(`authenticate.validate_${spec.service}`, async () => {
        for (let i = 0; i < repetitions; i++) await spec.call(session, ctx.signal);
      });
    },
  });
}
