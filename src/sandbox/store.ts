import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { stateDir } from '../engine/paths.js';
import { FaultInjector, faultsFromEnv, type FaultOptions } from './faults.js';
import { checkRegistry } from './registry-client.js';
import { newAccountState, SANDBOX_ADMIN } from './seed.js';
import type { SandboxRegistry, SandboxState } from './state.js';

export type { SandboxState } from './state.js';

export interface SandboxOptions {
  /** Keeps the account in `$XDG_STATE_HOME/slipway/sandbox/<name>.json`. */
  name?: string;
  /** Keeps the account in this file (wins over `name`). Neither: in memory only. */
  file?: string;
  /** Makes the account id, keys and MFA seeds reproducible (screenshots, snapshots). New sandboxes only. */
  seed?: string;
  /**
   * Seconds before new users, roles, keys and group memberships work (IAM eventual consistency). A new
   * sandbox stores it (default 0); given for an existing file, it replaces the stored value.
   */
  propagationSeconds?: number;
  /**
   * A Docker registry on loopback that plays ECR's storage: repository URIs point at it, the ECR login
   * token is its credentials, DescribeImages reads it. Stored with the account (password included,
   * like the account's other secrets); given for an existing file, it replaces the stored one.
   */
  registry?: SandboxRegistry;
  /** The wall clock beneath the sandbox clock; tests inject one instead of sleeping. */
  now?: () => number;
  /** Throttling, 5xx, resets, timeouts and an expired session, beneath the SDK's retries (faults.ts); else SLIPWAY_SANDBOX_FAULTS. */
  faults?: FaultOptions;
  env?: NodeJS.ProcessEnv;
}

export interface SandboxClock {
  /** Sandbox time in epoch ms: the wall clock plus every `advance`. */
  now(): number;
  /** Moves sandbox time ahead (saved with the account, so other processes see it too). */
  advance(ms: number): void;
}

/** Where a named sandbox lives. */
export function sandboxFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`"${name}" is not a sandbox name (letters, digits, ".", "_", "-").`);
  return join(stateDir(env), 'sandbox', `${name}.json`);
}

/** Opens the named or given sandbox file, creating a fresh account if it does not exist yet. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const file = options.file ?? (options.name !== undefined ? sandboxFile(options.name, options.env) : undefined);
  return new Sandbox(file, options);
}

/**
 * One simulated AWS account. Calls run one at a time, each on a copy of the state that replaces it
 * only when the call succeeds, and every successful mutating call is written atomically before it
 * returns — a process killed at any instant leaves the account as it was after some whole call.
 */
export class Sandbox {
  readonly clock: SandboxClock;
  readonly faults?: FaultInjector;
  private state: SandboxState;
  private readonly wallClock: () => number;
  private loadedVersion = '';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string | undefined,
    options: SandboxOptions = {},
  ) {
    this.wallClock = options.now ?? Date.now;
    const faults = options.faults ?? faultsFromEnv(options.env ?? process.env);
    if (faults) this.faults = new FaultInjector(faults);
    const registry = options.registry && checkRegistry(options.registry);
    if (file && existsSync(file)) {
      this.state = this.read(file);
      if (options.propagationSeconds !== undefined && options.propagationSeconds !== this.state.propagationSeconds) {
        this.state.propagationSeconds = options.propagationSeconds;
        this.save();
      }
      if (registry && JSON.stringify(registry) !== JSON.stringify(this.state.ecr?.registry)) {
        this.state.ecr = { repositories: {}, ...this.state.ecr, registry };
        this.save();
      }
    } else {
      this.state = newAccountState(this.wallClock(), { ...options, registry });
      this.save();
    }
    this.clock = {
      now: () => this.wallClock() + this.current().clock.offsetMs,
      advance: (ms: number) => {
        this.current().clock.offsetMs += ms;
        this.save();
      },
    };
  }

  get accountId(): string {
    return this.state.accountId;
  }

  get propagationSeconds(): number {
    return this.current().propagationSeconds;
  }

  /** The bootstrap identity's long-term key, as `--sandbox` starts with it. */
  adminCredentials(): AwsCredentialIdentity {
    const key = this.current().iam.users[SANDBOX_ADMIN]?.accessKeys.find((k) => k.status === 'Active');
    if (!key) throw new Error(`The sandbox's ${SANDBOX_ADMIN} has no active access key any more (it was deleted or deactivated).`);
    return { accessKeyId: key.id, secretAccessKey: key.secret };
  }

  /** A deep copy of the account, for assertions. */
  snapshot(): SandboxState {
    return structuredClone(this.current());
  }

  /** Changes the account directly, between calls (test setup, e.g. a password policy), and saves it. */
  update(change: (state: SandboxState) => void): void {
    const draft = structuredClone(this.current());
    change(draft);
    this.state = draft;
    this.save();
  }

  /**
   * Runs one API call against the account: serialized, all-or-nothing, saved if it mutates. `mutates`
   * may be decided from the current state (inside the queue): a read that finds simulated work due
   * (an ECS deployment to move on) mutates too.
   */
  run<T>(mutates: boolean | ((state: SandboxState) => boolean), work: (state: SandboxState) => T | Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const base = this.current();
      const writes = typeof mutates === 'function' ? mutates(base) : mutates;
      const draft = writes ? structuredClone(base) : base;
      const value = await work(draft);
      if (writes) {
        // The clock is not part of the call: an advance() during an async call must survive it.
        draft.clock.offsetMs = this.state.clock.offsetMs;
        this.state = draft;
        this.save();
      }
      return value;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The state, re-read first if another process replaced the file (every save is a new inode). */
  private current(): SandboxState {
    if (this.file && this.fileVersion(this.file) !== this.loadedVersion && existsSync(this.file)) this.state = this.read(this.file);
    return this.state;
  }

  private read(file: string): SandboxState {
    const version = this.fileVersion(file);
    let parsed: Partial<SandboxState>;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxState>;
    } catch (error) {
      throw new Error(`${file} is not a readable slipway sandbox file: ${(error as Error).message}`);
    }
    if (parsed.version !== 1 || typeof parsed.accountId !== 'string' || !parsed.iam) {
      throw new Error(`${file} is not a slipway sandbox file (version 1): delete it to start a fresh account.`);
    }
    this.loadedVersion = version;
    return parsed as SandboxState;
  }

  private save(): void {
    if (!this.file) return;
    writeFileAtomic(this.file, JSON.stringify(this.state, null, 2) + '\n', 0o600);
    this.loadedVersion = this.fileVersion(this.file);
  }

  private fileVersion(file: string): string {
    try {
      const stat = statSync(file);
      return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return '';
    }
  }
}
