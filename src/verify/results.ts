/**
 * Subunit events -> per-test results, with Rally's verification semantics
 * (rally/common/io/subunit_v2.py):
 * - a test is announced ("exists"), starts ("inprogress") and ends with its status; its duration
 *   is the time between the last two; "traceback" and "reason" attachments are its texts;
 * - a result for an id that is no announced test ("setUpClass (pkg.Class)", a class id) is a
 *   class-level result: it applies to that class's tests that have no result of their own;
 * - the xfail list turns a fail into xfail (with the list's reason) and a pass into uxsuccess;
 * - skip-list tests that did not run are reported as skipped with the list's reason.
 * Unlike Rally, tests announced but never finished (a worker died) are failures, not left
 * "init", and class-level failures that hit no test (tearDownClass) are kept and fail the run.
 */
import type { SubunitEvent, SubunitPacket } from './subunit.js';
import type { ClassLevelResult, TestReasons, VerificationTotals, VerifyTestResult, VerifyTestStatus } from './types.js';
import { isFailingStatus } from './types.js';

const FINAL_STATUSES = new Set(['success', 'fail', 'skip', 'xfail', 'uxsuccess']);
/** "setUpClass (pkg.mod.Class)", "tearDownClass (...)", "setUpModule (pkg.mod)": unittest's fixture ids */
const FIXTURE_ID = /^(\w+) \((.+)\)$/;

/** The id without "[...]" attributes. */
export function testName(id: string): string {
  const bracket = id.indexOf('[');
  return bracket >= 0 ? id.slice(0, bracket) : id;
}

/**
 * One line saying why a test failed: the traceback's exception line ("tempest.lib.exceptions.
 * Forbidden: Forbidden") with what follows it ("Details: {...}"), cut at `max` characters.
 */
export function failureSummary(text: string | undefined, max = 300): string {
  const lines = (text ?? '').split('\n').map((l) => l.trimEnd());
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(: |:$|$)/.test(lines[i]!) && !/^Traceback /.test(lines[i]!) && lines[i] !== '') {
      start = i;
      if (!/^Details:/.test(lines[i]!)) break;
    }
  }
  const picked = start >= 0 ? lines.slice(start) : lines;
  const summary = picked.map((l) => l.trim()).filter(Boolean).join(' ');
  return summary.length > max ? `${summary.slice(0, max - 3)}...` : summary;
}

/** The id's "[a,b]" attributes, as Rally splits them. */
export function testTags(id: string): string[] {
  const bracket = id.indexOf('[');
  if (bracket < 0) return [];
  return id
    .slice(bracket + 1)
    .replace(/\]$/, '')
    .split(',')
    .filter((t) => t.length > 0);
}

function classNameOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The reason a list gives a test, by full id or by name without attributes (Rally matches both). */
export function listedReason(list: TestReasons | undefined, id: string): string | undefined {
  if (!list) return undefined;
  if (Object.hasOwn(list, id)) return list[id] ?? '';
  const name = testName(id);
  return Object.hasOwn(list, name) ? (list[name] ?? '') : undefined;
}

interface PendingTest {
  id: string;
  status?: VerifyTestStatus;
  startedAt?: number;
  endedAt?: number;
  worker?: string;
  texts: Map<string, Uint8Array[]>;
}

interface UnknownEntity {
  id: string;
  status?: VerifyTestStatus;
  texts: Map<string, Uint8Array[]>;
}

/** What the collector says about an event, for live progress. */
export type TestProgressEvent =
  | { kind: 'started'; id: string }
  | { kind: 'finished'; test: VerifyTestResult }
  | { kind: 'class-level'; id: string; status: VerifyTestStatus };

export interface CollectedResults {
  tests: VerifyTestResult[];
  classLevel: ClassLevelResult[];
  totals: VerificationTotals;
  /** text found between packets (tempest's own prints), for the log */
  output: string;
}

const KEPT_ATTACHMENTS = new Set(['traceback', 'reason']);
const decoder = new TextDecoder('utf-8');

function addText(texts: Map<string, Uint8Array[]>, packet: SubunitPacket): void {
  if (packet.fileName === undefined || packet.fileBytes === undefined || !KEPT_ATTACHMENTS.has(packet.fileName)) return;
  const parts = texts.get(packet.fileName) ?? [];
  parts.push(packet.fileBytes);
  texts.set(packet.fileName, parts);
}

function textOf(texts: Map<string, Uint8Array[]>, name: string): string | undefined {
  const parts = texts.get(name);
  if (!parts || parts.length === 0) return undefined;
  const size = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return decoder.decode(all);
}

function workerOf(tags: string[] | undefined): string | undefined {
  return tags?.find((t) => t.startsWith('worker-'));
}

const NO_RESULT = 'no result in the subunit stream: the test was announced but its worker stopped before reporting it';
const MAX_OUTPUT = 64 * 1024;

export class VerificationCollector {
  private readonly tests = new Map<string, PendingTest>();
  private readonly unknown = new Map<string, UnknownEntity>();
  private firstTimestamp: number | undefined;
  private lastTimestamp: number | undefined;
  private output = '';

  constructor(private readonly lists: { xfail?: TestReasons; skip?: TestReasons } = {}) {}

  /** Feeds one event; returns what progress should show, if anything. */
  add(event: SubunitEvent): TestProgressEvent | undefined {
    if (event.kind === 'output') {
      if (this.output.length < MAX_OUTPUT) this.output += event.text.slice(0, MAX_OUTPUT - this.output.length);
      return undefined;
    }
    if (event.timestamp !== undefined) {
      this.firstTimestamp ??= event.timestamp;
      this.lastTimestamp = event.timestamp;
    }
    const id = event.testId;
    if (id === undefined || id === '') return undefined;
    const status = event.status;
    let test = this.tests.get(id);
    if (!test && (status === 'exists' || status === 'inprogress')) {
      test = { id, texts: new Map() };
      this.tests.set(id, test);
    }
    if (test) {
      test.worker ??= workerOf(event.tags);
      addText(test.texts, event);
      if (status === 'inprogress') {
        test.startedAt = event.timestamp;
        return { kind: 'started', id };
      }
      if (status !== undefined && FINAL_STATUSES.has(status)) {
        test.status = status as VerifyTestStatus;
        test.endedAt = event.timestamp;
        return { kind: 'finished', test: this.finalize(test) };
      }
      return undefined;
    }
    // not an announced test: a class-level fixture, or a test streamed without announcement
    const entity: UnknownEntity = this.unknown.get(id) ?? { id, texts: new Map() };
    this.unknown.set(id, entity);
    addText(entity.texts, event);
    if (status !== undefined && FINAL_STATUSES.has(status)) {
      entity.status = status as VerifyTestStatus;
      return { kind: 'class-level', id, status: entity.status };
    }
    return undefined;
  }

  /** A test's result as it stands, with the xfail list applied. */
  private finalize(test: PendingTest, inherited?: { status: VerifyTestStatus; reason?: string; traceback?: string }): VerifyTestResult {
    const name = testName(test.id);
    let status: VerifyTestStatus = test.status ?? inherited?.status ?? 'fail';
    let reason = textOf(test.texts, 'reason') ?? inherited?.reason;
    const traceback = textOf(test.texts, 'traceback') ?? inherited?.traceback ?? (test.status === undefined && !inherited ? NO_RESULT : undefined);
    const xfailReason = listedReason(this.lists.xfail, test.id);
    if (xfailReason !== undefined) {
      if (status === 'fail') {
        status = 'xfail';
        if (xfailReason !== '') reason = xfailReason;
      } else if (status === 'success') {
        status = 'uxsuccess';
        reason = `on the xfail list${xfailReason ? ` (${xfailReason})` : ''}, but it passed`;
      }
    }
    const duration = test.startedAt !== undefined && test.endedAt !== undefined ? Math.max(0, (test.endedAt - test.startedAt) / 1000) : 0;
    return {
      id: test.id,
      name,
      className: classNameOf(name),
      tags: testTags(test.id),
      status,
      duration: Math.round(duration * 1000) / 1000,
      ...(test.startedAt !== undefined ? { startedAt: new Date(test.startedAt).toISOString() } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ...(traceback !== undefined ? { traceback } : {}),
      ...(test.worker !== undefined ? { worker: test.worker } : {}),
    };
  }

  /** The results once the stream ended. */
  finish(): CollectedResults {
    const classLevel: ClassLevelResult[] = [];
    const inherited = new Map<string, { status: VerifyTestStatus; reason?: string; traceback?: string }>();
    const standalone: PendingTest[] = [];
    for (const entity of this.unknown.values()) {
      if (entity.status === undefined) continue;
      const fixture = FIXTURE_ID.exec(entity.id);
      const target = fixture ? fixture[2]! : entity.id;
      const reason = textOf(entity.texts, 'reason');
      const traceback = textOf(entity.texts, 'traceback');
      const appliedTo: string[] = [];
      for (const test of this.tests.values()) {
        if (test.status !== undefined || inherited.has(test.id)) continue;
        const name = testName(test.id);
        if (test.id === target || name === target || name.startsWith(`${target}.`)) {
          inherited.set(test.id, { status: entity.status, ...(reason !== undefined ? { reason } : {}), ...(traceback !== undefined ? { traceback } : {}) });
          appliedTo.push(test.id);
        }
      }
      if (!fixture && appliedTo.length === 0) {
        // a plain test result whose "exists" was never streamed
        standalone.push({ id: entity.id, status: entity.status, texts: entity.texts });
        continue;
      }
      classLevel.push({
        id: entity.id,
        target,
        status: entity.status,
        ...(reason !== undefined ? { reason } : {}),
        ...(traceback !== undefined ? { traceback } : {}),
        appliedTo: appliedTo.sort(),
      });
    }
    const results = new Map<string, VerifyTestResult>();
    for (const test of [...this.tests.values(), ...standalone]) results.set(test.id, this.finalize(test, inherited.get(test.id)));
    for (const [id, reason] of Object.entries(this.lists.skip ?? {})) {
      if (results.has(id) || [...results.keys()].some((known) => testName(known) === id)) continue;
      results.set(id, {
        id,
        name: testName(id),
        className: classNameOf(testName(id)),
        tags: testTags(id),
        status: 'skip',
        duration: 0,
        ...(reason ? { reason } : {}),
      });
    }
    const tests = [...results.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    classLevel.sort((a, b) => (a.id < b.id ? -1 : 1));
    return { tests, classLevel, totals: computeTotals(tests, classLevel, this.firstTimestamp, this.lastTimestamp), output: this.output };
  }
}

export function computeTotals(
  tests: readonly VerifyTestResult[],
  classLevel: readonly ClassLevelResult[],
  firstTimestamp?: number,
  lastTimestamp?: number,
): VerificationTotals {
  const count = (status: VerifyTestStatus): number => tests.filter((t) => t.status === status).length;
  const duration = firstTimestamp !== undefined && lastTimestamp !== undefined ? (lastTimestamp - firstTimestamp) / 1000 : 0;
  return {
    tests: tests.length,
    success: count('success'),
    failures: count('fail'),
    skipped: count('skip'),
    expectedFailures: count('xfail'),
    unexpectedSuccesses: count('uxsuccess'),
    classFailures: classLevel.filter((c) => isFailingStatus(c.status) && c.appliedTo.length === 0).length,
    duration: Math.round(duration * 1000) / 1000,
  };
}

/** Passed: something ran, nothing failed, no unexpected success, no orphan class-level failure. */
export function verificationPassed(totals: VerificationTotals): boolean {
  return totals.tests > 0 && totals.failures === 0 && totals.unexpectedSuccesses === 0 && totals.classFailures === 0;
}
