/**
 * Maps positions in a rendered task back to the template that produced them.
 *
 * While rendering, every piece of template text and every printed expression at the top level of
 * a template is preceded by an invisible marker (private-use characters) naming the template
 * file and the offset of that piece in it. Removing the markers afterwards yields the rendered
 * text plus a list of segments: template text is copied verbatim (exact line and column), a
 * printed value maps to the `{{` that printed it.
 */

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER_PATTERN = /\uE000([de])(\d+),(\d+)\uE001/g;

export function dataMarker(fileIndex: number, offset: number): string {
  return `${MARK_OPEN}d${fileIndex},${offset}${MARK_CLOSE}`;
}

export function expressionMarker(fileIndex: number, offset: number): string {
  return `${MARK_OPEN}e${fileIndex},${offset}${MARK_CLOSE}`;
}

interface Segment {
  renderedStart: number;
  fileIndex: number;
  sourceOffset: number;
  /** template text copied as is (true) or a printed value (false) */
  verbatim: boolean;
}

export interface TemplateFile {
  /** path for messages, as the user would recognise it */
  file: string;
  /** the prepared template source the offsets refer to */
  source: string;
}

export interface MappedPosition {
  file: string;
  line: number;
  column: number;
  /** the rendered character was copied from the template text (column is exact) */
  verbatim: boolean;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset, given the line start offsets. */
export function lineColumn(lineStarts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
}

export class RenderedSourceMap {
  private readonly fileLineStarts: number[][];

  constructor(
    private readonly segments: Segment[],
    private readonly files: TemplateFile[],
  ) {
    this.fileLineStarts = files.map((f) => lineStartsOf(f.source));
  }

  /** Where the character at `renderedOffset` of the rendered text came from. */
  sourceOf(renderedOffset: number): MappedPosition | undefined {
    let low = 0;
    let high = this.segments.length - 1;
    if (high < 0 || (this.segments[0] as Segment).renderedStart > renderedOffset) return undefined;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.segments[mid] as Segment).renderedStart <= renderedOffset) low = mid;
      else high = mid - 1;
    }
    const segment = this.segments[low] as Segment;
    const file = this.files[segment.fileIndex];
    const lineStarts = this.fileLineStarts[segment.fileIndex];
    if (!file || !lineStarts) return undefined;
    const offset = segment.verbatim
      ? Math.min(segment.sourceOffset + (renderedOffset - segment.renderedStart), file.source.length)
      : segment.sourceOffset;
    return { file: file.file, ...lineColumn(lineStarts, offset), verbatim: segment.verbatim };
  }
}

/** Removes the position markers from rendered output and builds the map back to the templates. */
export function stripMarkers(marked: string, files: TemplateFile[]): { text: string; map: RenderedSourceMap } {
  const segments: Segment[] = [];
  let text = '';
  let last = 0;
  for (const match of marked.matchAll(MARKER_PATTERN)) {
    text += marked.slice(last, match.index);
    last = (match.index as number) + match[0].length;
    segments.push({
      renderedStart: text.length,
      verbatim: match[1] === 'd',
      fileIndex: Number(match[2]),
      sourceOffset: Number(match[3]),
    });
  }
  text += marked.slice(last);
  return { text, map: new RenderedSourceMap(segments, files) };
}
