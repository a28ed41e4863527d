/**
 * The bytes of an image to upload, from Rally's `image_location` / `image_url`: a local file
 * (`~` expanded, like os.path.expanduser) or an http(s) URL. Rally streams the URL with requests;
 * here it is read whole (test images are small) so the upload is one plain PUT.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { RallyException } from '../../../engine/exceptions.js';

export function expandHome(location: string): string {
  if (location === '~') return homedir();
  if (location.startsWith('~/')) return `${homedir()}${location.slice(1)}`;
  return location;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Reads the image data; an unreadable location fails like Rally's upload would (with what was tried). */
export async function readImageData(location: string, signal?: AbortSignal): Promise<Uint8Array> {
  const path = expandHome(location);
  if (await isFile(path)) return new Uint8Array(await readFile(path, signal ? { signal } : {}));
  if (!/^https?:\/\//i.test(location)) {
    // Rally hands anything that is not a file to requests.get, which refuses a schemeless path
    throw new RallyException(`Invalid URL '${location}': no such file, and not an http(s) URL`, 'MissingSchema');
  }
  let response: Response;
  try {
    response = await fetch(location, signal ? { signal } : {});
  } catch (error) {
    // fetch says only "fetch failed"; the reason (DNS, refused...) is its cause
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    throw new RallyException(`GET ${location}: ${cause?.code ?? ''} ${cause?.message ?? (error as Error).message}`.replace(/\s+/g, ' ').trim(), 'ConnectionError');
  }
  if (!response.ok) throw new RallyException(`GET ${location}: HTTP ${response.status}`, 'HTTPError');
  return new Uint8Array(await response.arrayBuffer());
}
