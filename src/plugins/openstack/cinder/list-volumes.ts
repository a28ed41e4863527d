/** CinderVolumes.list_volumes: list all volumes. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, userCinder } from './scenario-helpers.js';

interface Args {
  detailed?: boolean;
  search_opts?: Record<string, unknown> | null;
  marker?: string | null;
  limit?: number | null;
  sort?: string | null;
}

export const listVolumes = registerOpenStackScenario({
  name: 'CinderVolumes.list_volumes',
  description: 'List all volumes.',
  schema: {
    type: 'object',
    properties: { detailed: { type: 'boolean' }, search_opts: { type: ['object', 'null'] }, marker: { type: ['string', 'null'] }, limit: { type: ['integer', 'null'] }, sort: { type: ['string', 'null'] } },
    additionalProperties: false,
  },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { detailed = true, search_opts, marker, limit, sort }: Args) {
    const query: Record<string, unknown> = { ...(search_opts ?? {}) };
    if (marker != null) query['marker'] = marker;
    if (limit != null) query['limit'] = limit;
    if (sort != null) query['sort'] = sort;
    await userCinder(ctx).listVolumes(detailed, query);
  },
});
