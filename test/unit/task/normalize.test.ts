/** v1 and v2 tasks normalised to v2 exactly like Rally's TaskConfig(...).to_dict(). */
import { describe, expect, it } from 'vitest';
import { normalizeTask, TaskStructureError } from '../../../src/task/normalize.js';
import { parseYaml } from '../../../src/task/yaml.js';
import { referenceUnavailable, runRallyReference, SKIP_MESSAGE } from './rally-reference.js';

const normalize = (text: string) => normalizeTask(parseYaml(text).value).config;

function problems(text: string): string[] {
  try {
    normalize(text);
  } catch (error) {
    if (error instanceof TaskStructureError) return error.problems.map((p) => `${JSON.stringify(p.path)} ${p.message}`);
    throw error;
  }
  return [];
}

const V1 = `
Dummy.dummy:
  - args: {sleep: 1}
    runner: {type: constant, times: 2}
    context: {users: {tenants: 1}}
    sla: {failure_rate: {max: 1}}
    hooks:
      - name: sys_call
        description: d
        args: echo
        trigger: {name: event, args: {unit: iteration, at: [1]}}
    description: my workload
  - {}
Dummy.other:
  - sla: {}
    runner: {type: serial}
`;

const V2 = `
version: 2
title: t
description: desc
tags: [a, b]
subtasks:
  - title: simple
    group: g
    description: sd
    tags: [x]
    scenario: {Dummy.dummy: {sleep: 0}}
    runner: {constant: {times: 1}}
    hooks:
      - action: {sys_call: "echo"}
        trigger: {event: {unit: time, at: [1]}}
  - title: complex
    run_in_parallel: true
    workloads:
      - scenario: {Dummy.dummy: {}}
        description: w0
        sla: {max_avg_duration: 1}
      - contexts: {users: {}}
        scenario: {Dummy.b: {}}
        runner: {serial: {}}
`;

describe('normalizeTask', () => {
  it('converts v1 with Rally`s defaults and key order', () => {
    const config = normalize(V1);
    expect(JSON.stringify(config)).toBe(
      JSON.stringify({
        version: 2,
        title: 'Task (adopted from task format v1)',
        description: '',
        tags: [],
        subtasks: [
          {
            title: 'Dummy.dummy',
            workloads: [
              {
                runner: { constant: { times: 2 } },
                sla: { failure_rate: { max: 1 } },
                hooks: [{ description: 'd', action: { sys_call: 'echo' }, trigger: { event: { unit: 'iteration', at: [1] } } }],
                description: 'my workload',
                contexts: { users: { tenants: 1 } },
                scenario: { 'Dummy.dummy': { sleep: 1 } },
              },
              { contexts: {}, runner: { serial: {} }, sla: { failure_rate: { max: 0 } }, hooks: [], scenario: { 'Dummy.dummy': {} } },
            ],
            tags: [],
            description: '',
          },
          {
            title: 'Dummy.other',
            workloads: [{ sla: {}, runner: { serial: {} }, contexts: {}, hooks: [], scenario: { 'Dummy.other': {} } }],
            tags: [],
            description: '',
          },
        ],
      }),
    );
  });

  it('turns a simple v2 subtask into one workload (Rally leaves `group` in it)', () => {
    const [simple, complex] = normalize(V2).subtasks;
    expect(simple).toEqual({
      title: 'simple',
      description: 'sd',
      tags: ['x'],
      workloads: [
        {
          group: 'g',
          runner: { constant: { times: 1 } },
          hooks: [{ description: '', action: { sys_call: 'echo' }, trigger: { event: { unit: 'time', at: [1] } } }],
          contexts: {},
          sla: { failure_rate: { max: 0 } },
          scenario: { 'Dummy.dummy': { sleep: 0 } },
        },
      ],
    });
    expect(complex?.run_in_parallel).toBe(true);
    expect(complex?.workloads[1]).toEqual({ contexts: { users: {} }, runner: { serial: {} }, sla: { failure_rate: { max: 0 } }, hooks: [], scenario: { 'Dummy.b': {} } });
  });

  it('leaves a v1 hook without description without one (Rally says None)', () => {
    const config = normalize('Dummy.dummy:\n  - hooks:\n      - {name: sys_call, args: ls, trigger: {name: event, args: {}}}\n');
    expect(config.subtasks[0]?.workloads[0]?.hooks).toEqual([{ action: { sys_call: 'ls' }, trigger: { event: {} } }]);
  });

  it.each([
    ['', ['[] the task file is empty (it must hold a v1 or v2 task mapping)']],
    ['[]', ['[] a task must be a mapping ({ScenarioName: [workloads]} for v1, or {version: 2, title, subtasks}), got a list']],
    ['version: 2.0\ntitle: x\nsubtasks: []\n', ['["version"] Task configuration version 2.0 is not supported. Supported versions: 1, 2']],
    ['version: 2\n', ["[] missing required properties 'title', 'subtasks'"]],
    ['version: 2\ntitle: x\nextra: 1\nsubtasks: [5]\n', [
      `["extra"] unexpected property 'extra'; allowed here: version, title, description, tags, subtasks`,
      '["subtasks",0] a subtask must be a mapping (with title and scenario, or title and workloads), got a number',
    ]],
    ['version: 2\ntitle: x\ntags: [1]\nsubtasks: []\n', ['["tags",0] must be a string, got a number']],
    [`version: 2\ntitle: ${'x'.repeat(256)}\nsubtasks: []\n`, ['["title"] must be at most 255 characters long (it has 256)']],
    ['version: 2\ntitle: x\nsubtasks:\n  - title: s\n    scenario: {A: null}\n', ['["subtasks",0,"scenario","A"] must be a mapping, got null']],
    ['Dummy.dummy: [{args: null}]', ['["Dummy.dummy",0,"args"] must be a mapping, got null']],
    ['Dummy.dummy:\n  - hooks:\n      - {name: sys_call, args: echo, trigger: {name: event}}\n', [
      `["Dummy.dummy",0,"hooks",0,"trigger"] missing required property 'args'`,
    ]],
  ])('refuses %j', (text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts the version as a string, as Rally does (str(version))', () => {
    expect(normalize('version: "2"\ntitle: x\nsubtasks: []\n').subtasks).toEqual([]);
  });
});

const DIFFERENTIAL = [
  V1,
  V2,
  '{"version": 2, "title": "j", "subtasks": []}',
  'version: "2"\ntitle: x\nsubtasks: []\n',
  'version: 1\nDummy.dummy: []\n',
  'Dummy.dummy: [{runner: {}}]',
  'Dummy.dummy: [{foo: 1}]',
  'version: 2\ntitle: x\nsubtasks:\n  - title: s\n    scenario: {A: {}, B: {}}\n',
  'version: 2\ntitle: x\nsubtasks:\n  - title: s\n',
  'version: 2\ntitle: x\nsubtasks:\n  - title: s\n    workloads: []\n',
  'version: 2\ntitle: x\nsubtasks:\n  - title: s\n    workloads:\n      - runner: {constant: {}}\n',
  'version: 2\ntitle: x\nsubtasks:\n  - title: s\n    workloads:\n      - scenario: {A: {}}\n        hooks:\n          - {action: {a: 1, b: 2}, trigger: {t: {}}}\n',
  'version: 2\ntitle: x\nsubtasks:\n  - {title: s, scenario: {A: {}}, description: d, tags: [t], contexts: {c: {}}, sla: {}, hooks: []}\n',
];

describe.skipIf(referenceUnavailable !== undefined)(`same normalisation as Rally's TaskConfig${referenceUnavailable ? ` (${SKIP_MESSAGE})` : ''}`, () => {
  const reference = referenceUnavailable
    ? []
    : runRallyReference(DIFFERENTIAL.map((template) => ({ mode: 'load' as const, template, template_dir: '.', args: null })));
  DIFFERENTIAL.forEach((text, i) => {
    it(JSON.stringify(text.slice(0, 60)), () => {
      const expected = reference[i];
      if (expected?.error) {
        expect(problems(text).length).toBeGreaterThan(0);
        return;
      }
      // same data and the same key order
      expect(JSON.stringify(normalize(text))).toBe(JSON.stringify(expected?.normalized));
    });
  });
});
