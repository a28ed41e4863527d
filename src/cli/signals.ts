/**
 * SIGINT/SIGTERM during a run: the first one aborts the run's signal (no new iterations, cleanups run,
 * partial results are written); a second one exits at once with the conventional code.
 */
export interface StopSignals {
  readonly signal: AbortSignal;
  /** the first stop signal received, if any */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

export function watchStopSignals(onFirst: (signal: NodeJS.Signals) => void): StopSignals {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    received = signal;
    onFirst(signal);
    controller.abort(new Error(`${signal} received`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
