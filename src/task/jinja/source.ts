/** Template source handling shared by the renderer and the no-template fast path (no nunjucks here). */

/** Jinja2's lexer normalises newlines and drops a single trailing newline (keep_trailing_newline=False). */
export function prepareJinjaSource(source: string): string {
  const normalised = source.replace(/\r\n?/g, '\n');
  return normalised.endsWith('\n') ? normalised.slice(0, -1) : normalised;
}

/** Whether Jinja2 would see any syntax in the text at all; without it the text renders as itself. */
export function hasJinjaSyntax(source: string): boolean {
  return /\{[{%#]/.test(source);
}
