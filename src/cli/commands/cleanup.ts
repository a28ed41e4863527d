/**
 * `rally-gate cleanup`: deletes what a killed run left on the cloud: every resource, in every
 * project (as the admin), whose name matches Rally's random-name pattern ("s_rally_<owner>_<8>"
 * of scenarios, "c_rally_<owner>_<8>" of contexts), optionally of given owners only (--task:
 * the workload uuid Rally names resources after). Dependents first (servers before networks,
 * users and projects last). Nothing whose name does not match is touched.
 */
import { ExitCode, InfraError, InputError } from '../../common/errors.js';
import { describeCredential, resolveCredential } from '../../cloud/index.js';
import { OpenStackCloud } from '../../openstack/index.js';
import '../../plugins/index.js';
import { cleanupResources, type CleanupTarget } from '../../plugins/openstack/cleanup/manager.js';
import { cleanupResourceNames, findCleanupResources } from '../../plugins/openstack/cleanup/registry.js';
import { parseCommandArgs } from '../options.js';
import { cloudOptions } from '../cloud.js';

const UUID_PATTERN = /^[0-9a-fA-F-]{8,}$/;

function describeTarget(target: CleanupTarget): string {
  return `${target.manager} ${target.id}${target.name !== undefined ? ` ${target.name}` : ''}`;
}

export async function cleanupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('cleanup', argv, {
    task: { type: 'string', multiple: true },
    only: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    ...cloudOptions,
  });
  if (positionals.length > 0) throw new InputError(`cleanup takes no file argument (got "${positionals.join(' ')}")`);
  const owners = values.task ?? [];
  for (const owner of owners) {
    if (!UUID_PATTERN.test(owner)) throw new InputError(`--task ${owner}: expected a uuid (the workload uuid resources are named after)`);
  }
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const known = cleanupResourceNames();
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new InputError(`--only: no cleanup resource manager named ${unknown.join(', ')} (known: ${[...known].sort().join(', ')})`);

  const credential = resolveCredential({
    ...(values['env-spec'] !== undefined ? { specFile: values['env-spec'] } : {}),
    ...(values['os-cloud'] !== undefined ? { cloud: values['os-cloud'] } : {}),
    ...(values['os-region-name'] !== undefined ? { regionName: values['os-region-name'] } : {}),
  });
  if (!credential.admin) throw new InputError(`${credential.origin} has no admin credential: cleanup needs one to see every project`);
  const cloud = new OpenStackCloud(credential, { userAgent: 'rally-gate' });
  const dryRun = values['dry-run'];
  const out = process.stdout;
  out.write(`rally-gate cleanup on ${describeCredential(credential)}${dryRun ? ' (dry run: nothing is deleted)' : ''}\n`);
  try {
    const managers = findCleanupResources(only.length > 0 ? only : undefined);
    let deleted = 0;
    let matched = 0;
    const failures: string[] = [];
    for (const ownerId of owners.length > 0 ? owners : [undefined]) {
      const report = await cleanupResources({
        managers,
        admin: cloud.admin(),
        ...(ownerId !== undefined ? { ownerId } : {}),
        kinds: ['scenario', 'context'],
        allProjects: true,
        dryRun,
        onDelete: (target) => out.write(`deleting ${describeTarget(target)}\n`),
      });
      for (const target of report.wouldDelete) out.write(`would delete ${describeTarget(target)}\n`);
      deleted += report.deleted.length;
      matched += report.deleted.length + report.wouldDelete.length + report.failures.length;
      failures.push(...report.failures);
    }
    for (const failure of failures) process.stderr.write(`rally-gate: cleanup: ${failure}\n`);
    if (dryRun) out.write(`${matched} resource(s) would be deleted\n`);
    else out.write(`${deleted} resource(s) deleted, ${failures.length} failure(s)\n`);
    if (failures.length > 0) throw new InfraError(`cleanup left ${failures.length} problem(s), see above`);
    return ExitCode.ok;
  } finally {
    await cloud.close();
  }
}
