/**
 * ssh2, loaded on first use. Importing it takes tens of milliseconds (more on a busy machine), which
 * every other command (a one-iteration task is ~0.2 s end to end) must not pay for.
 */
type Ssh2Module = typeof import('ssh2');

let loading: Promise<Ssh2Module> | undefined;

export function loadSsh2(): Promise<Ssh2Module> {
  // A CommonJS package: its exports are the default export of the ESM namespace.
  loading ??= import('ssh2').then((m) => ((m as { default?: Ssh2Module }).default ?? m) as Ssh2Module);
  return loading;
}
