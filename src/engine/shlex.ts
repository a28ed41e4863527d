/**
 * Python's shlex.split() in POSIX mode (no comments), which Rally's sys_call hook uses to turn a
 * command string into argv: whitespace separates words; single quotes keep everything literally;
 * inside double quotes a backslash escapes only `"` and `\`; outside quotes it escapes any
 * character. Errors carry Python's messages.
 */

export class ShlexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

export function shlexSplit(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const ch = command[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) throw new ShlexError('No closing quotation');
      word += command.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= command.length) throw new ShlexError('No closing quotation');
        const c = command[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && i + 1 < command.length && (command[i + 1] === '"' || command[i + 1] === '\\')) {
          word += command[i + 1];
          i += 2;
        } else if (c === '\\' && i + 1 >= command.length) {
          throw new ShlexError('No escaped character');
        } else {
          word += c;
          i++;
        }
      }
    } else if (ch === '\\') {
      if (i + 1 >= command.length) throw new ShlexError('No escaped character');
      word += command[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
