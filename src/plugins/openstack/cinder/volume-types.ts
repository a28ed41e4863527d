/** What the CinderVolumeTypes scenarios share: their create args. */
export const VOLUME_TYPE_ARGS = { description: { type: ['string', 'null'] }, is_public: { type: 'boolean' } } as const;

export interface VolumeTypeArgs {
  description?: string | null;
  is_public?: boolean;
}
