import type { AwsSettings } from '../../src/aws/settings.js';
import type { Sandbox } from '../../src/sandbox/store.js';

/** What every flow gets from the command line: where AWS calls go, and the environment it runs in. */
export interface Runtime {
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The simulated account (`--sandbox`): every client talks to it instead of AWS. */
  sandbox?: Sandbox;
  /** The folder slipway works on (the application's, for publish and rollout). */
  cwd: string;
  /** A docker config folder of slipway's own (DOCKER_CONFIG), e.g. in the sandbox; else docker's default. */
  dockerConfig?: string;
}
