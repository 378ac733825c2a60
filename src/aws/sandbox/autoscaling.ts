import { fault } from './errors.js';
import type { ServiceFake } from './operation.js';

/** The Auto Scaling fake (being written). */
export const autoScalingFake: ServiceFake = {
  prefix: 'autoscaling',
  serviceId: 'Auto Scaling',
  operations: {},
  toError: (f) => f,
  denied: (message) => fault('AccessDenied', message, 403),
};
