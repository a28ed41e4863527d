/**
 * `rally-gate deploy FILE [--out DIR] [--destroy]`: deploys DevStack onto the nodes of a deployment
 * file over SSH (docs/deploy.md), or runs unstack.sh on them. Prints progress (a status line on a
 * terminal, every stack.sh line prefixed with its node otherwise) and a summary; the admin
 * credential it found is described, never printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, InputError } from '../../common/errors.js';
import { describeCredential, redactCredential } from '../../cloud/credential.js';
import { type DeployProgress, deployDevstack, destroyDevstack } from '../../deploy/devstack/deploy.js';
import { loadDeploymentFile } from '../../deploy/devstack/plan.js';
import { parseCommandArgs } from '../options.js';
import { watchStopSignals } from '../signals.js';

/** Progress for a terminal: one redrawn line with the node, the step and stack.sh's last line. */
export function createDeployProgress(stream: NodeJS.WriteStream, enabled: boolean): DeployProgress {
  if (enabled && stream.isTTY) {
    let lastDraw = 0;
    const steps = new Map<string, string>();
    return {
      step(node, step) {
        steps.set(node, step);
        stream.write(`\r\x1b[2K[${node}] ${step}\n`);
      },
      line(node, line) {
        const now = performance.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        const text = `[${node}] ${steps.get(node) ?? ''}: ${line}`;
        stream.write(`\r\x1b[2K${text.slice(0, Math.max(20, (stream.columns ?? 100) - 1))}`);
      },
    };
  }
  return {
    step: (node, step) => stream.write(`[${node}] ${step}\n`),
    line: (node, line) => stream.write(`[${node}] ${line}\n`),
  };
}

export async function deployCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('deploy', argv, {
    out: { type: 'string', default: 'rally-gate-results' },
    destroy: { type: 'boolean', default: false },
    'no-progress': { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new InputError(`deploy: expected exactly one deployment file, got ${positionals.length === 0 ? 'none' : positionals.join(', ')}`);
  const plan = loadDeploymentFile(positionals[0] as string);
  const outDir = values.out;
  const progress = createDeployProgress(process.stdout, !values['no-progress']);
  const stop = watchStopSignals((signal) => process.stderr.write(`\nrally-gate: ${signal}: stopping the deployment (a second one exits at once)\n`));
  const nodes = [plan.controller, ...plan.subnodes];
  try {
    if (values.destroy) {
      process.stdout.write(`rally-gate deploy --destroy: unstack.sh on ${nodes.map((n) => n.name).join(', ')}\n`);
      const { logsDir } = await destroyDevstack(plan, { outDir, progress, signal: stop.signal });
      process.stdout.write(`\nDevStack stopped on ${nodes.length} node(s); logs in ${logsDir}\n`);
      return ExitCode.ok;
    }
    process.stdout.write(`rally-gate deploy: DevStack ${plan.source.repo} (${plan.source.ref}) onto ${nodes.map((n) => `${n.name} (${n.ssh.host})`).join(', ')}\n`);
    const result = await deployDevstack(plan, { outDir, progress, signal: stop.signal });
    const lines = result.nodes.map((n) => `  ${n.name.padEnd(12)} ${n.role.padEnd(10)} ${n.host.padEnd(16)} ${n.os}${n.stackSeconds !== undefined ? `, stack.sh ${n.stackSeconds} s` : ''}`);
    process.stdout.write(`\nDevStack deployed:\n${lines.join('\n')}\ncloud: ${describeCredential(result.credential)}\nlogs: ${result.logsDir}\n`);
    writeFileSync(join(result.logsDir, 'result.json'), `${JSON.stringify({ nodes: result.nodes, credential: redactCredential(result.credential) }, null, 2)}\n`);
    return ExitCode.ok;
  } finally {
    stop.dispose();
  }
}
