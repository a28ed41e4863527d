/**
 * The verification's data: what was asked (VerificationSettings), what each test did
 * (VerifyTestResult) and the whole run (VerificationResult, written as results.json).
 */

/** Rally's verification statuses: xfail passes, uxsuccess fails, skip is neither. */
export type VerifyTestStatus = 'success' | 'fail' | 'skip' | 'xfail' | 'uxsuccess';

export interface VerifyTestResult {
  /** the full test id, with its attributes: "tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token[id-6f8e...]" */
  id: string;
  /** the id without its bracketed attributes */
  name: string;
  /** the class part of the name (everything before the last dot) */
  className: string;
  /** the id's bracketed attributes, as Rally parses them: ["id-6f8e...", "smoke"] */
  tags: string[];
  status: VerifyTestStatus;
  /** seconds from inprogress to the final status (0 when it never ran) */
  duration: number;
  /** ISO time the test started, when it ran */
  startedAt?: string;
  /** a skip's reason, or the xfail/skip list's reason */
  reason?: string;
  /** the failure text (Python traceback) of a fail, an xfail or a class-level failure */
  traceback?: string;
  /** the stestr worker that ran it ("worker-0") */
  worker?: string;
}

/** A setUpClass/tearDownClass (or module) fixture that failed or skipped, with the tests it took down. */
export interface ClassLevelResult {
  /** the id as in the stream: "setUpClass (tempest.api.identity.admin.v3.test_roles.RolesV3TestJSON)" */
  id: string;
  /** the class (or module) it belongs to */
  target: string;
  status: VerifyTestStatus;
  reason?: string;
  traceback?: string;
  /** ids of the tests that got this status from it (tests with no result of their own) */
  appliedTo: string[];
}

export interface VerificationTotals {
  tests: number;
  success: number;
  failures: number;
  skipped: number;
  expectedFailures: number;
  unexpectedSuccesses: number;
  /** class-level failures that hit no known test (e.g. tearDownClass after all its tests passed) */
  classFailures: number;
  /** seconds from the first to the last timestamp in the stream */
  duration: number;
}

/** A test id (with or without its [attributes]) -> the reason. */
export type TestReasons = Record<string, string>;

/** What to run and how; every field optional. Read from --settings YAML and the CLI flags. */
export interface VerificationSettings {
  /** a named set like Rally's: smoke, full, identity, image, compute, network, volume, scenario... */
  set?: string;
  /** a stestr selection regex (instead of a set) */
  pattern?: string;
  /** exactly these test ids */
  loadList?: string[];
  /** tests not to run, reported as skipped with the reason */
  skipList?: TestReasons;
  /** tests expected to fail: a fail is reported as xfail, a pass as uxsuccess */
  xfailList?: TestReasons;
  /** stestr workers; 0 = tempest's default (one per CPU) */
  concurrency?: number;
  /** the tempest executable (default: "tempest" in PATH) */
  tempest?: string;
  /** tempest.conf options set last, over everything generated: {section: {option: value}} */
  overrides?: Record<string, Record<string, string>>;
  /** name prefix of the image, flavors and network made for the run (default "rally-gate-verify") */
  resourcePrefix?: string;
  /** false: create nothing; image_ref, flavor_ref... must then come from overrides */
  createResources?: boolean;
  /** where tempest runs: this machine (default), or the deployment's controller over SSH (docs/verify.md) */
  where?: 'local' | 'controller';
}

export interface VerificationResult {
  format: 'rally-gate-verification/1';
  startedAt: string;
  finishedAt: string;
  /** what was selected, as given */
  selection: {
    set?: string;
    pattern?: string;
    loadList?: number;
    skipList?: number;
    xfailList?: number;
    concurrency?: number;
  };
  /** the tempest that ran: its version line and the command (no secrets in it) */
  tempest?: { version?: string; command: string[] };
  /** the cloud, described without secrets */
  cloud?: string;
  totals: VerificationTotals;
  /** sorted by id */
  tests: VerifyTestResult[];
  classLevel: ClassLevelResult[];
  /** no fail, no uxsuccess, no class-level failure, and at least one test reported */
  passed: boolean;
}

/** Statuses that make a verification fail. */
export function isFailingStatus(status: VerifyTestStatus): boolean {
  return status === 'fail' || status === 'uxsuccess';
}
