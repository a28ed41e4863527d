/**
 * Rally's `sys_call` hook action (rally/plugins/task/hooks/sys_call.py): runs a command split like
 * shlex.split (no shell), in the CLI's working directory. A non-zero exit marks the run failed
 * with stderr (or stdout) as details. Stdout that is JSON {additive: [...], complete: [...]} adds
 * those charts; anything else is kept as a "System call" TextArea chart. Stdin is not passed on
 * (Rally's child inherits it; a gate has no terminal to offer). Processes are started from a
 * helper thread (command-thread.ts) so that forking never stalls the iterations in flight.
 */
import { type JsonValue } from '../../common/json.js';
import { pythonTypeName, type OutputKind } from '../charts.js';
import { ScenarioError, RallyException } from '../exceptions.js';
import { registerHookAction, type HookRunApi } from '../hook.js';
import { shlexSplit } from '../shlex.js';
import { runCommandInThread, SpawnFailure, startCommandThread, type CommandOutcome } from './command-thread.js';
import type { Chart } from '../types.js';

/** Runs argv without a shell (from the helper thread); maps spawn failures to Python's OSErrors. */
async function runCommand(argv: string[], cwd: string): Promise<CommandOutcome> {
  if (argv.length === 0) throw new ScenarioError('IndexError', 'list index out of range');
  try {
    const outcome = await runCommandInThread(argv, cwd);
    // Text mode like Popen(universal_newlines=True): newlines normalised.
    return { ...outcome, stdout: normaliseNewlines(outcome.stdout), stderr: normaliseNewlines(outcome.stderr) };
  } catch (error) {
    throw error instanceof SpawnFailure ? osError(error, argv[0]!) : error;
  }
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function osError(error: SpawnFailure, file: string): Error {
  switch (error.code) {
    case 'ENOENT':
      return new ScenarioError('FileNotFoundError', `[Errno 2] No such file or directory: '${file}'`);
    case 'EACCES':
      return new ScenarioError('PermissionError', `[Errno 13] Permission denied: '${file}'`);
    default:
      return new ScenarioError('OSError', error.message);
  }
}

/** Python truthiness of a parsed JSON value (Rally's add_output skips falsy charts). */
function truthy(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * Adds the charts of a JSON stdout, as Rally's loop does; returns false where Rally falls back to
 * the TextArea chart (invalid JSON, a non-iterable value, an invalid chart). A JSON value that is
 * not an object fails the run like Python's AttributeError on `.get`.
 */
function addJsonCharts(stdout: string, api: HookRunApi): boolean {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(stdout) as JsonValue;
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScenarioError('AttributeError', `'${pythonTypeName(parsed)}' object has no attribute 'get'`);
  }
  for (const kind of ['additive', 'complete'] as OutputKind[]) {
    const items = parsed[kind];
    if (items === undefined) continue;
    if (typeof items === 'string' || (typeof items === 'object' && items !== null && !Array.isArray(items))) {
      // Python iterates a string's characters / a dict's keys: strings, never valid charts.
      if (truthy(items)) return false;
      continue;
    }
    if (!Array.isArray(items)) return false; // TypeError: not iterable
    for (const item of items) {
      if (!truthy(item)) continue;
      try {
        api.addOutput(kind, item as unknown as Chart);
      } catch (error) {
        if (error instanceof RallyException) return false;
        throw error;
      }
    }
  }
  return true;
}

export const sysCallHook = registerHookAction({
  name: 'sys_call',
  description: 'Performs system call.',
  schema: { type: 'string', description: 'Command to execute.' },
  prepare: startCommandThread,
  async run(api) {
    const command = String(api.config);
    const { returncode, stdout, stderr } = await runCommand(shlexSplit(command), api.cwd);
    if (returncode !== 0) {
      api.setError('n/a', `Subprocess returned ${returncode}`, stderr || `stdout: ${stdout}`);
    }
    if (!addJsonCharts(stdout, api)) {
      api.addOutput('complete', {
        title: 'System call',
        chart_plugin: 'TextArea',
        description: `Args: ${command}`,
        data: [`RetCode: ${returncode}`, `StdOut: ${stdout || '(empty)'}`, `StdErr: ${stderr || '(empty)'}`],
      });
    }
  },
});
