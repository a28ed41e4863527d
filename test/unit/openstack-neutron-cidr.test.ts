import { describe, expect, it } from 'vitest';
import { CidrGenerator, shiftCidr } from '../../src/plugins/openstack/neutron/cidr.js';

describe('CIDR generation like Rally net_utils', () => {
  it('starts at the start CIDR and steps by network size', () => {
    const cidrs = new CidrGenerator();
    expect(cidrs.next()).toEqual([4, '10.2.0.0/24']);
    expect(cidrs.next()).toEqual([4, '10.2.1.0/24']);
    expect(cidrs.next(4, '1.1.0.0/30')).toEqual([4, '1.1.0.8/30']);
    expect(cidrs.next(6)).toEqual([6, 'dead:beaf::/64']);
    expect(cidrs.next(6)).toEqual([6, 'dead:beaf:0:1::/64']);
  });
  it('drops host bits and refuses to leave the address space', () => {
    expect(shiftCidr('10.2.0.5/24', 0)).toBe('10.2.0.0/24');
    expect(() => shiftCidr('255.255.255.0/24', 1)).toThrow(RangeError);
  });
});
