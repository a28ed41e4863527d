/** Nova keypair calls with Rally's atomic action names (NovaScenario._create_keypair and friends). */
import { compute } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import type { Actor } from '../glance/actor.js';

/** novaclient keypairs.create's keyword arguments, as the NovaKeypair.* scenarios pass them on. */
export interface KeypairArgs {
  public_key?: string;
  key_type?: 'ssh' | 'x509';
  user_id?: string;
}

export const KEYPAIR_ARGS_SCHEMA = {
  type: 'object',
  properties: {
    public_key: { type: 'string' },
    key_type: { enum: ['ssh', 'x509'] },
    user_id: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** nova.create_keypair: returns the keypair's name. */
export function createKeypair(actor: Actor, session: OpenStackSession, name: string, args: KeypairArgs = {}): Promise<string> {
  return actor.atomic('nova.create_keypair', async () => {
    const keypair = await compute.createKeypair(
      session,
      { name, ...(args.public_key ? { public_key: args.public_key } : {}), ...(args.key_type ? { type: args.key_type } : {}), ...(args.user_id ? { user_id: args.user_id } : {}) },
      // key types exist from 2.2, user_id from 2.10 (novaclient refuses them below)
      { signal: actor.signal, ...(args.user_id ? { microversion: '2.10' } : args.key_type ? { microversion: '2.2' } : {}) },
    );
    return keypair.name;
  });
}

export function listKeypairs(actor: Actor, session: OpenStackSession): Promise<compute.Keypair[]> {
  return actor.atomic('nova.list_keypairs', () => compute.listKeypairs(session, { signal: actor.signal }));
}

export function getKeypair(actor: Actor, session: OpenStackSession, name: string): Promise<compute.Keypair> {
  return actor.atomic('nova.get_keypair', () => compute.getKeypair(session, name, { signal: actor.signal }));
}

export function deleteKeypair(actor: Actor, session: OpenStackSession, name: string): Promise<void> {
  return actor.atomic('nova.delete_keypair', () => compute.deleteKeypair(session, name, { signal: actor.signal }));
}
