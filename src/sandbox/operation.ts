import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { authorize } from './authz.js';
import { resolveCaller, type Caller } from './caller.js';
import { SandboxFault, SandboxUnsupportedError, fault } from './errors.js';
import { IdSource } from './ids.js';
import type { Sandbox } from './store.js';
import type { SandboxState } from './state.js';

/** What a handler gets besides its input: the account (a draft for mutating calls) and the request. */
export interface CallContext {
  state: SandboxState;
  caller: Caller;
  region: string;
  /** Sandbox time of the request, epoch ms. */
  now: number;
  ids: IdSource;
}

/** A command's output as the SDK returns it, minus the `$metadata` the dispatcher adds. */
export type Out<T> = Omit<T, '$metadata'>;

export interface Operation {
  /**
   * The ARN IAM authorizes the call against (default "*"). `false` skips the identity-policy check:
   * GetCallerIdentity needs no permission, AssumeRole decides for itself (MFA, trust policy).
   */
  resource: ((input: never, ctx: CallContext) => string) | false;
  run(input: never, ctx: CallContext): unknown;
}

/** Declares a handler with the SDK's own input and output types, so shapes are checked at compile time. */
export function op<I, O>(spec: { resource?: ((input: I, ctx: CallContext) => string) | false; run: (input: I, ctx: CallContext) => O | Promise<O> }): Operation {
  return { resource: spec.resource ?? (() => '*'), run: spec.run } as Operation;
}

/** One simulated service: its operations and how its SDK package shapes errors. */
export interface ServiceFake {
  /** IAM action prefix and the serviceId the SDK client reports. */
  prefix: string;
  serviceId: string;
  operations: Record<string, Operation>;
  toError(f: SandboxFault, requestId: string): Error;
  /** How the service words a denial (IAM/STS AccessDenied, EC2 UnauthorizedOperation). */
  denied(message: string): SandboxFault;
}

/**
 * Calls that only read; everything else may change the account and is saved when it succeeds.
 * (FilterLogEvents reads too: `slipway logs --follow` polls it beside other slipways on the same sandbox.)
 */
const READ_ONLY = /^(Get|List|Describe|Filter)/;

export async function callFake(fake: ServiceFake, sandbox: Sandbox, command: string, input: unknown, credentials: AwsCredentialIdentity, region: string): Promise<object> {
  const operation = fake.operations[command];
  if (!operation) {
    throw new SandboxUnsupportedError(`the sandbox does not simulate ${fake.serviceId} ${command} yet (add it to src/sandbox/${fake.prefix}.ts)`);
  }
  const requestId = randomUUID();
  const mutating = !READ_ONLY.test(command);
  let now = 0;
  let writes = mutating;
  try {
    const mutates = (state: SandboxState) => {
      now = sandbox.clock.now();
      writes = mutating || progressDue(state, now);
      return writes;
    };
    const result = await sandbox.run(mutates, async (state) => {
      const ids = new IdSource(state);
      // ECS carries deployments on without the caller: time has moved them before any call is answered.
      // (Only on a copy: a read with nothing due works on the live state and must leave it alone.)
      if (writes) await progress(state, now, ids);
      const caller = resolveCaller(state, credentials, now);
      const ctx: CallContext = { state, caller, region, now, ids };
      const args = (input ?? {}) as never;
      if (operation.resource !== false) {
        const verdict = authorize(state, caller, `${fake.prefix}:${command}`, operation.resource(args, ctx), now);
        if (verdict.decision !== 'allow') throw fake.denied(verdict.message);
      }
      const output = (await operation.run(args, ctx)) as object | undefined;
      // What the call changed (a new service, a stopped task) is acted on at once, and saved with it.
      if (mutating) await progress(state, now, ids);
      return output;
    });
    return { ...(plain(result ?? {}) as object), $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 } };
  } catch (error) {
    throw error instanceof SandboxFault ? fake.toError(error, requestId) : error;
  }
}

/** Whether simulated work is due (cheap, so reads with nothing due stay copy-free and unsaved). */
function progressDue(state: SandboxState, now: number): boolean {
  return state.ecs?.nextEventAt !== undefined && state.ecs.nextEventAt <= now;
}

/** Moves the services that act on their own (ECS) to `now`; loaded only once an account has ECS state. */
async function progress(state: SandboxState, now: number, ids: IdSource): Promise<void> {
  if (state.ecs) (await import('./ecs/advance.js')).advanceEcs(state, now, ids);
}

/**
 * A fresh copy of a handler's output without `undefined` members: the SDK omits absent members, and the
 * caller must never hold references into the account's state.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = plain(member);
  return out;
}

/** The error AWS's API validation layer sends for a missing or malformed parameter. */
export function validationError(message: string): SandboxFault {
  return fault('ValidationError', message, 400);
}
