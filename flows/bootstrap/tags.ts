/** Every resource slipway's bootstrap makes that takes tags carries this, so it can be found again. */
export const MANAGED_TAGS = [{ Key: 'slipway:managed', Value: 'true' }];
