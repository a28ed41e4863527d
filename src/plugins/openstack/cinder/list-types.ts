/** CinderVolumes.list_types: list volume types. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { userCinder } from './scenario-helpers.js';

export const listTypes = registerOpenStackScenario({
  name: 'CinderVolumes.list_types',
  description: 'List all volume types.',
  schema: { type: 'object', properties: { search_opts: { type: ['object', 'null'] }, is_public: { type: ['boolean', 'null'] } }, additionalProperties: false },
  async run(ctx, { search_opts = null, is_public = null }: { search_opts?: Record<string, unknown> | null; is_public?: boolean | null }) {
    await userCinder(ctx).listTypes(search_opts, is_public);
  },
});
