/**
 * A node's log folder, <out>/deploy/<node>/: our own command log (commands.log: what ran, when, how
 * it ended, its output), stack.sh's streamed output, and the files fetched from the node. Every text
 * goes through the secret mask before it touches the disk; files are written as they come, so a
 * failed or killed deployment leaves what it had.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets } from '../../cloud/credential.js';

export class NodeLog {
  readonly dir: string;

  constructor(
    outDir: string,
    readonly node: string,
    private readonly secrets: readonly string[],
  ) {
    this.dir = join(outDir, 'deploy', node);
    mkdirSync(this.dir, { recursive: true });
  }

  mask(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /** one entry of commands.log */
  command(step: string, text: string): void {
    appendFileSync(join(this.dir, 'commands.log'), this.mask(`${new Date().toISOString()} [${step}] ${text}\n`));
  }

  /** output of a command, indented under its entry */
  output(text: string): void {
    if (text === '') return;
    const body = text.endsWith('\n') ? text : `${text}\n`;
    appendFileSync(join(this.dir, 'commands.log'), this.mask(body.replace(/^/gm, '    ')));
  }

  /** appends to a file of the folder (e.g. stack.sh.log, streamed) */
  append(name: string, text: string): void {
    appendFileSync(join(this.dir, name), this.mask(text));
  }

  write(name: string, content: string | Buffer): string {
    const path = join(this.dir, name);
    writeFileSync(path, this.mask(typeof content === 'string' ? content : content.toString('utf8')));
    return path;
  }
}
