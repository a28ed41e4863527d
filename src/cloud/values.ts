/** Small conversions shared by the credential readers. */
import { homedir } from 'node:os';
import type { EndpointInterface } from './credential.js';

/** oslo_utils.strutils.bool_from_string (strict=False): what Rally does with OS_INSECURE. */
export function boolFromString(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes(String(value).trim().toLowerCase());
}

/** "~/x" -> "$HOME/x", like os.path.expanduser, so paths from files work as the user wrote them. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home}${path.slice(1)}`;
  return path;
}

/** "publicURL" -> "public" (Rally strips "URL"); undefined when empty. Returns null when not an interface. */
export function parseInterface(value: string | undefined): EndpointInterface | undefined | null {
  if (value === undefined || value === '') return undefined;
  const name = value.replace('URL', '').toLowerCase();
  return name === 'public' || name === 'internal' || name === 'admin' ? name : null;
}

/** True when an auth URL points at Keystone v2.0, which OpenStack removed in Queens. */
export function isKeystoneV2Url(authUrl: string): boolean {
  return /\/v2\.0\/?$/.test(authUrl);
}

/** A scalar as the string Python's normalize_keys/str() would make of it; undefined for null/absent. */
export function scalarString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
