/**
 * HttpRequests.check_random_request: one request picked at random from `requests`; a request
 * without its own status_code expects the common one.
 */
import type { JsonObject } from '../../common/json.js';
import { isJsonObject } from '../../common/json.js';
import type { ConfigProblem } from '../../plugins/registry.js';
import { registerScenario } from '../../engine/scenario.js';
import { checkRequest, checkRequestKwargs, requestProperties } from './request.js';

export const checkRandomRequestScenario = registerScenario({
  name: 'HttpRequests.check_random_request',
  description: 'Executes random HTTP requests from provided list.',
  schema: {
    type: 'object',
    properties: {
      requests: {
        type: 'array',
        minItems: 1,
        description: 'List of request dicts',
        items: { type: 'object', properties: requestProperties, required: ['url', 'method'], additionalProperties: false },
      },
      status_code: { type: 'integer', description: 'Expected Response Code, used when a request does not give one' },
    },
    required: ['requests', 'status_code'],
    additionalProperties: false,
  },
  validateConfig(args): ConfigProblem[] {
    if (!isJsonObject(args) || !Array.isArray(args.requests)) return [];
    return args.requests.flatMap((request, i) => checkRequestKwargs(request, ['requests', i]));
  },
  run(ctx, { requests, status_code }: { requests: JsonObject[]; status_code: number }) {
    const request = requests[Math.floor(ctx.random() * requests.length)]!;
    return checkRequest(ctx, { status_code, ...request });
  },
});
