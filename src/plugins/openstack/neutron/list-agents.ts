/** NeutronNetworks.list_agents: list all Neutron agents (no cleanup: it creates nothing). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { requestArgs, userNeutron } from './scenario-helpers.js';

export const listAgents = registerOpenStackScenario({
  name: 'NeutronNetworks.list_agents',
  description: 'List all neutron agents.',
  schema: { type: 'object', properties: { agent_args: requestArgs }, additionalProperties: false },
  async run(ctx, { agent_args }: { agent_args?: Record<string, unknown> | null }) {
    await userNeutron(ctx).listAgents(agent_args ?? {});
  },
});
