/** The dummy_context context (order 750): fails its setup and/or cleanup on request. */
import { isJsonObject } from '../../common/json.js';
import { registerContext } from '../../engine/context.js';
import { RallyException } from '../../engine/exceptions.js';

export const dummyContext = registerContext({
  name: 'dummy_context',
  description: 'Dummy context.',
  order: 750,
  schema: {
    type: 'object',
    properties: { fail_setup: { type: 'boolean' }, fail_cleanup: { type: 'boolean' } },
    additionalProperties: false,
  },
  create: () => ({
    setup({ config }) {
      if (isJsonObject(config) && config.fail_setup === true) throw new RallyException('Oops...setup is failed');
    },
    cleanup({ config }) {
      if (isJsonObject(config) && config.fail_cleanup === true) throw new RallyException('Oops...cleanup is failed');
    },
  }),
});
