/**
 * validateTask with fake plugins: schema and validateConfig problems with file positions and task
 * paths, real Rally plugins rally-gate lacks reported as unimplemented, typos as errors with hints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTaskPath } from '../../../src/common/errors.js';
import { isJsonObject } from '../../../src/common/json.js';
import { registerPlugin } from '../../../src/plugins/registry.js';
import { loadTask, validateTask } from '../../../src/task/index.js';

registerPlugin({ kind: 'scenario', name: 'Fake.scenario', schema: { type: 'object', properties: { sleep: { type: 'number', minimum: 0 } }, additionalProperties: false } });
registerPlugin({
  kind: 'runner',
  name: 'fake_runner',
  // draft-04, as Rally's plugins write it
  schema: { $schema: 'http://json-schema.org/draft-04/schema', type: 'object', properties: { times: { type: 'integer', minimum: 0, exclusiveMinimum: true } } },
  validateConfig: (config) => (isJsonObject(config) && config.times === 13 ? [{ path: ['times'], message: 'thirteen is unlucky' }] : []),
});
registerPlugin({ kind: 'sla', name: 'fake_sla', schema: { type: 'number', exclusiveMinimum: 0 } });
registerPlugin({ kind: 'context', name: 'fake_context', schema: { type: 'object', required: ['size'] } });
registerPlugin({ kind: 'hook', name: 'fake_hook', schema: { type: 'string' } });
registerPlugin({ kind: 'trigger', name: 'fake_trigger', schema: { type: 'object', properties: { at: { type: 'array', items: { type: 'integer' } } } } });

const dir = mkdtempSync(join(tmpdir(), 'rally-gate-validate-'));
let counter = 0;
async function validate(text: string) {
  const file = join(dir, `task${counter++}.yaml`);
  writeFileSync(file, text);
  const task = await loadTask(file);
  const result = validateTask(task);
  return {
    file,
    errors: result.errors.map((e) => `${e.location?.line}:${e.location?.column} ${formatTaskPath(e.path ?? [])}: ${e.message}`),
    unimplemented: result.unimplemented.map((u) => `${u.kind} ${u.name} ${u.location.line} ${formatTaskPath(u.path)}`),
  };
}

describe('validateTask', () => {
  it('accepts a task whose plugins are all known and well configured', async () => {
    const result = await validate(`---
version: 2
title: ok
subtasks:
  - title: s
    scenario: {Fake.scenario: {sleep: 0.5}}
    runner: {fake_runner: {times: 3}}
    sla: {fake_sla: 1.5}
    contexts: {fake_context: {size: 1}}
    hooks:
      - action: {fake_hook: "echo"}
        trigger: {fake_trigger: {at: [1]}}
`);
    expect(result.errors).toEqual([]);
    expect(result.unimplemented).toEqual([]);
  });

  it('collects every problem with line, column and task path', async () => {
    const result = await validate(`---
Fake.scenario:
  -
    args:
      sleep: -1
      colour: red
    runner:
      type: fake_runner
      times: 0
    sla:
      fake_sla: 0
    context:
      fake_context: {}
    hooks:
      - name: fake_hook
        args: 42
        trigger:
          name: fake_trigger
          args: {at: [x]}
  -
    runner:
      type: fake_runner
      times: 13
`);
    expect(result.errors).toEqual([
      '5:14 subtasks[0].workloads[0].scenario["Fake.scenario"].sleep: must be >= 0 (got -1)',
      "6:7 subtasks[0].workloads[0].scenario[\"Fake.scenario\"].colour: unexpected property 'colour'; allowed here: sleep",
      '9:14 subtasks[0].workloads[0].runner.fake_runner.times: must be > 0 (got 0)',
      // Rally's order: scenario, runner, contexts, SLA, hooks
      "13:7 subtasks[0].workloads[0].contexts.fake_context: missing required property 'size'",
      '11:17 subtasks[0].workloads[0].sla.fake_sla: must be > 0 (got 0)',
      // a v1 hook's action is its `name:` line
      '15:15 subtasks[0].workloads[0].hooks[0].action.fake_hook: must be a string, got a number',
      '19:23 subtasks[0].workloads[0].hooks[0].trigger.fake_trigger.at[0]: must be an integer, got a string',
      '23:14 subtasks[0].workloads[1].runner.fake_runner.times: thirteen is unlucky',
    ]);
  });

  it('reports real Rally plugins that rally-gate lacks as unimplemented, not as errors', async () => {
    const result = await validate(`---
NovaServers.boot_and_delete_server:
  -
    args: {flavor: {name: m1.tiny}}
    runner: {type: rps, times: 10, rps: 2}
    context:
      users@openstack: {tenants: 1}
      network: {}
    sla:
      outliers: {max: 1}
    hooks:
      - name: fault_injection
        args: {action: restart nova-api}
        trigger: {name: periodic, args: {unit: iteration, step: 2}}
`);
    expect(result.errors).toEqual([]);
    expect(result.unimplemented).toEqual([
      'scenario NovaServers.boot_and_delete_server 2 subtasks[0].workloads[0].scenario["NovaServers.boot_and_delete_server"]',
      'runner rps 5 subtasks[0].workloads[0].runner.rps',
      'context users@openstack 7 subtasks[0].workloads[0].contexts["users@openstack"]',
      'context network 8 subtasks[0].workloads[0].contexts.network',
      'sla outliers 10 subtasks[0].workloads[0].sla.outliers',
      'hook fault_injection 12 subtasks[0].workloads[0].hooks[0].action.fault_injection',
      'trigger periodic 14 subtasks[0].workloads[0].hooks[0].trigger.periodic',
    ]);
  });

  it('names the closest known plugins for a typo, and refuses Rally-internal ones', async () => {
    const result = await validate(`---
version: 2
title: typos
subtasks:
  - title: s
    scenario: {Fake.scenaro: {}}
    runner: {fake_runer: {}}
    contexts: {users@default: {}, admin_cleanup: [nova]}
`);
    expect(result.errors).toEqual([
      "6:16 subtasks[0].workloads[0].scenario[\"Fake.scenaro\"]: unknown scenario 'Fake.scenaro' (did you mean 'Fake.scenario'?)",
      "7:14 subtasks[0].workloads[0].runner.fake_runer: unknown runner 'fake_runer' (did you mean 'fake_runner'?)",
      "8:16 subtasks[0].workloads[0].contexts[\"users@default\"]: unknown context 'users@default' (did you mean 'users@openstack'?)",
      "8:35 subtasks[0].workloads[0].contexts.admin_cleanup: context 'admin_cleanup' is internal to Rally and cannot be set in a task file",
    ]);
  });
});
