import type { AwsCredentialIdentity, HandlerExecutionContext, MiddlewareType } from '@aws-sdk/types';
import type { Sandbox } from './store.js';

/**
 * Failures of the network and of AWS's front doors, injected beneath the SDK's own retry middleware so
 * the client handles them exactly as it would real ones: throttling (a 400 ThrottlingException or its
 * query-protocol spelling, or a bare 429), a 5xx, a connection reset, a timeout. And one role session
 * expired by the sandbox itself in the middle of a flow, so the service answers ExpiredToken with its
 * own error name. For `npm run verify`, and for rehearsing: SLIPWAY_SANDBOX_FAULTS=<seed>:<rate>.
 */
export interface FaultOptions {
  /** Same seed, same faults at the same calls. */
  seed: number;
  /** Share of requests (attempts included) that fail, 0..1. */
  rate: number;
  /**
   * A request never fails more often than this in a row (its retries included): the SDK makes 6
   * attempts, and a run must be able to finish. Default 3.
   */
  maxPerRequest?: number;
  /** Expire the role session in use at this call made with session credentials (1-based). */
  expireSessionAtCall?: number;
}

export type FaultKind = 'throttling' | 'too-many-requests' | 'server-error' | 'connection-reset' | 'timeout';
const KINDS: FaultKind[] = ['throttling', 'too-many-requests', 'server-error', 'connection-reset', 'timeout'];

export interface FaultCounts {
  /** Requests that reached the sandbox's client stack, retries included. */
  calls: number;
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Role sessions the layer expired. */
  sessionsExpired: number;
}

/** `<seed>:<rate>` (rate 0..1, or a percentage like 25%). */
export function parseFaultSpec(spec: string): FaultOptions {
  const match = /^(\d+):(\d+(?:\.\d+)?)(%?)(?::expire=(\d+))?$/.exec(spec.trim());
  if (!match) throw new Error(`"${spec}" is not a fault spec: <seed>:<rate>, e.g. 7:0.25 or 7:25% (":expire=<n>" expires the role session at the n-th session call).`);
  const rate = Number(match[2]) / (match[3] ? 100 : 1);
  if (rate < 0 || rate > 1) throw new Error(`Fault rate ${match[2]}${match[3]} is not between 0 and 1.`);
  return { seed: Number(match[1]), rate, ...(match[4] ? { expireSessionAtCall: Number(match[4]) } : {}) };
}

export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultOptions | undefined {
  return env.SLIPWAY_SANDBOX_FAULTS ? parseFaultSpec(env.SLIPWAY_SANDBOX_FAULTS) : undefined;
}

export class FaultInjector {
  readonly counts: FaultCounts = { calls: 0, injected: 0, byKind: { throttling: 0, 'too-many-requests': 0, 'server-error': 0, 'connection-reset': 0, timeout: 0 }, sessionsExpired: 0 };
  private readonly random: () => number;
  private readonly inARow = new WeakMap<object, number>();
  private sessionCalls = 0;

  constructor(readonly options: FaultOptions) {
    this.random = mulberry32(options.seed);
  }

  /**
   * The sandbox's middleware, wrapped, and where it goes in the client's stack: after the retry and
   * signing middleware (finalizeRequest, low priority), so every fault is seen by the SDK's retry
   * strategy, and every attempt of a retried request reaches the sandbox again.
   */
  wrap(
    sandbox: Sandbox,
    serviceId: string,
    answer: MiddlewareType<any, any>,
    credentials: () => Promise<AwsCredentialIdentity>,
  ): { middleware: MiddlewareType<any, any>; placement: { step: 'finalizeRequest'; priority: 'low' } } {
    const middleware = ((next: never, context: HandlerExecutionContext) => async (args: unknown) => {
      this.counts.calls++;
      if (this.options.expireSessionAtCall !== undefined) await this.expireSessionAt(sandbox, (await credentials()).accessKeyId);
      const kind = this.pick(context);
      if (kind) {
        this.counts.injected++;
        this.counts.byKind[kind]++;
        throw faultError(kind, serviceId, (context.commandName ?? 'Unknown').replace(/Command$/, ''));
      }
      return (answer as (n: never, c: HandlerExecutionContext) => (a: unknown) => Promise<unknown>)(next, context)(args);
    }) as MiddlewareType<any, any>;
    return { middleware, placement: { step: 'finalizeRequest', priority: 'low' } };
  }

  /**
   * The n-th request signed by a role session expires
   * that session in the account (the sandbox then answers ExpiredToken as the service would).
   */
  private async expireSessionAt(sandbox: Sandbox, accessKeyId: string): Promise<void> {
    const isSession = sandbox.snapshot().sts.sessions[accessKeyId] !== undefined;
    if (!isSession || ++this.sessionCalls !== this.options.expireSessionAtCall) return;
    await sandbox.run(true, (state) => {
      const session = state.sts.sessions[accessKeyId];
      if (session) session.expiresAt = Math.min(session.expiresAt, sandbox.clock.now() - 1);
    });
    this.counts.sessionsExpired++;
  }

  private pick(context: object): FaultKind | undefined {
    const draw = this.random();
    const kindDraw = this.random();
    const inARow = this.inARow.get(context) ?? 0;
    if (draw >= this.options.rate || inARow >= (this.options.maxPerRequest ?? 3)) {
      this.inARow.set(context, 0);
      return undefined;
    }
    this.inARow.set(context, inARow + 1);
    return KINDS[Math.floor(kindDraw * KINDS.length)] ?? 'throttling';
  }
}

// How each protocol spells throttling: JSON services (ECS, ECR, Logs) ThrottlingException; the query
// services (IAM, STS, ELB) Throttling; EC2 RequestLimitExceeded.
const THROTTLING_NAME: Record<string, string> = { IAM: 'Throttling', STS: 'Throttling', 'Elastic Load Balancing v2': 'Throttling', EC2: 'RequestLimitExceeded' };

/** The error as the SDK surfaces it: a service exception with $metadata, or a Node.js socket error. */
export function faultError(kind: FaultKind, serviceId: string, command: string): Error {
  const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
  const service = (name: string, message: string, status: number, fault: 'client' | 'server') =>
    Object.assign(new Error(message), { name, Code: name, $fault: fault, $service: serviceId, $metadata: { httpStatusCode: status, requestId, attempts: 1, totalRetryDelay: 0 } });
  switch (kind) {
    case 'throttling':
      return service(THROTTLING_NAME[serviceId] ?? 'ThrottlingException', 'Rate exceeded', 400, 'client');
    case 'too-many-requests':
      return service('TooManyRequestsException', `Too Many Requests (${serviceId} ${command})`, 429, 'client');
    case 'server-error':
      return service('ServiceUnavailable', 'Service is unable to handle request.', 503, 'server');
    case 'connection-reset':
      // What node:http says when the peer closes the socket mid-request (the handler adds no $metadata).
      return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} });
    case 'timeout':
      return Object.assign(new Error(`Connection timed out after 5000 ms (${serviceId} ${command})`), { name: 'TimeoutError', $metadata: {} });
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
