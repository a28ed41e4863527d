/** NovaFlavors.list_flavors: list flavors with novaclient's filters. */
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { listFlavors } from '../flavors.js';

interface ListFlavorsArgs {
  detailed?: boolean;
  is_public?: boolean | null;
  marker?: string | null;
  min_disk?: number | null;
  min_ram?: number | null;
  limit?: number | null;
  sort_key?: string | null;
  sort_dir?: string | null;
}

registerOpenStackScenario<ListFlavorsArgs>({
  name: 'NovaFlavors.list_flavors',
  description: 'List all flavors.',
  schema: {
    type: 'object',
    properties: {
      detailed: { type: 'boolean' },
      is_public: { type: ['boolean', 'null'] },
      marker: { type: ['string', 'null'] },
      min_disk: { type: ['integer', 'null'] },
      min_ram: { type: ['integer', 'null'] },
      limit: { type: ['integer', 'null'] },
      sort_key: { type: ['string', 'null'] },
      sort_dir: { type: ['string', 'null'] },
    },
    additionalProperties: false,
  },
  async run(ctx, args) {
    // novaclient: is_public True sends nothing (the default), None sends "None" (all), False "false"
    const isPublic = args.is_public === undefined ? true : args.is_public;
    const query: Record<string, string | number | undefined> = {
      is_public: isPublic === true ? undefined : isPublic === null ? 'None' : 'false',
      marker: args.marker ?? undefined,
      minDisk: args.min_disk ?? undefined,
      minRam: args.min_ram ?? undefined,
      limit: args.limit ?? undefined,
      sort_key: args.sort_key ?? undefined,
      sort_dir: args.sort_dir ?? undefined,
    };
    await listFlavors(ctx, scenarioUser(ctx).session, args.detailed ?? true, query);
  },
});
