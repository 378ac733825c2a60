import type { VirtualMfaDevice } from './state.js';
import { totpAtStep, totpStep } from './totp.js';

/** How far a device's clock may drift, in 30 s steps either way (AWS tolerates a little skew). */
export const MFA_WINDOW_STEPS = 2;
/** Used steps older than this are forgotten: their codes fall outside the window anyway. */
const REMEMBER_STEPS = 2 * MFA_WINDOW_STEPS + 2;

function windowSteps(now: number): number[] {
  const current = totpStep(now);
  const steps: number[] = [];
  for (let s = current - MFA_WINDOW_STEPS; s <= current + MFA_WINDOW_STEPS; s++) steps.push(s);
  return steps;
}

/** The step of a code that is valid now and has not been used before (codes are single-use). */
export function acceptedStep(device: VirtualMfaDevice, code: string | undefined, now: number): number | undefined {
  if (!code) return undefined;
  return windowSteps(now).find((s) => !device.usedSteps.includes(s) && totpAtStep(device.seed, s) === code);
}

/** EnableMFADevice: code 1 from a step in the window and code 2 from the step right after it. */
export function consecutiveSteps(device: VirtualMfaDevice, code1: string | undefined, code2: string | undefined, now: number): number | undefined {
  if (!code1 || !code2) return undefined;
  return windowSteps(now).find((s) => totpAtStep(device.seed, s) === code1 && totpAtStep(device.seed, s + 1) === code2);
}

export function markUsed(device: VirtualMfaDevice, steps: number[], now: number): void {
  const oldest = totpStep(now) - REMEMBER_STEPS;
  device.usedSteps = [...device.usedSteps, ...steps].filter((s, i, all) => s >= oldest && all.indexOf(s) === i);
}
