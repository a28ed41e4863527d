/** HttpRequests.check_request: one request, failing unless the response has status_code. */
import type { JsonObject } from '../../common/json.js';
import { registerScenario } from '../../engine/scenario.js';
import { checkRequest, checkRequestKwargs, requestProperties } from './request.js';

export const checkRequestScenario = registerScenario({
  name: 'HttpRequests.check_request',
  description: 'Standard way for testing web services using HTTP requests.',
  schema: {
    type: 'object',
    properties: requestProperties,
    required: ['url', 'method', 'status_code'],
    additionalProperties: false,
  },
  validateConfig: (args) => checkRequestKwargs(args as JsonObject, []),
  run: (ctx, args: JsonObject) => checkRequest(ctx, args),
});
