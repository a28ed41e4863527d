/**
 * Subnet CIDRs without overlap, like Rally's net_utils.generate_cidr: the n-th CIDR asked for is
 * the start network shifted by n network sizes (netaddr's IPNetwork.next(n)), n counted per IP
 * version across the whole process (Rally's RAMInt is one counter per process tree, shared by
 * every workload of the run), starting at 0 so the first CIDR is the start CIDR itself.
 */
export const IPV4_START_CIDR = '10.2.0.0/24';
export const IPV6_START_CIDR = 'dead:beaf::/64';

export interface ParsedCidr {
  version: 4 | 6;
  /** the network address as an integer (host bits dropped) */
  network: bigint;
  prefixLength: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses "a.b.c.d/n" or an IPv6 CIDR; a bare address is a host network (/32, /128) like netaddr. */
export function parseCidr(cidr: string): ParsedCidr {
  const [address = '', prefix] = cidr.split('/');
  const version = address.includes(':') ? 6 : 4;
  const bits = version === 4 ? 32 : 128;
  const value = version === 4 ? parseIpv4(address) : parseIpv6(address);
  const prefixLength = prefix === undefined ? bits : Number(prefix);
  if (value === undefined || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits || (prefix !== undefined && !/^\d+$/.test(prefix))) {
    throw new Error(`invalid IPNetwork ${cidr}`);
  }
  const hostBits = BigInt(bits - prefixLength);
  return { version, network: (value >> hostBits) << hostBits, prefixLength };
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** RFC 5952 text (longest run of zero groups compressed), as netaddr prints it. */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatCidr(cidr: ParsedCidr): string {
  return `${cidr.version === 4 ? formatIpv4(cidr.network) : formatIpv6(cidr.network)}/${cidr.prefixLength}`;
}

/** The network `steps` sizes after `start` (netaddr IPNetwork.next); IndexError past the address space. */
export function shiftCidr(start: string, steps: number): string {
  const parsed = parseCidr(start);
  const bits = parsed.version === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - parsed.prefixLength);
  const network = parsed.network + size * BigInt(steps);
  if (network + size - 1n >= 1n << BigInt(bits)) throw new RangeError('increment exceeds address boundary');
  return formatCidr({ ...parsed, network });
}

/** Counts CIDRs handed out per IP version (Rally's _IPv4_CIDR_INCR/_IPv6_CIDR_INCR). */
export class CidrGenerator {
  private readonly counters = { 4: 0, 6: 0 };

  /** [ipVersion, cidr] like generate_cidr(ip_version, start_cidr). */
  next(ipVersion?: number, startCidr?: string | null): [4 | 6, string] {
    const start = startCidr || (ipVersion === 6 ? IPV6_START_CIDR : IPV4_START_CIDR);
    const version = parseCidr(start).version;
    const step = this.counters[version]++;
    return [version, shiftCidr(start, step)];
  }
}

/** The process-wide counter, as Rally's is (one per run, whatever the workload). */
export const processCidrs = new CidrGenerator();
