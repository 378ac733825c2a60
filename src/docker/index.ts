// The docker adapter: thin execa wrappers that the publish flow and `doctor` use. No UI here.
export { dockerBuild } from './build.js';
export type { DockerBuildOptions } from './build.js';
export { DockerError, RegistryAuthError } from './errors.js';
export { imageDigest, tagImage } from './inspect.js';
export { dockerLogin, dockerLogout } from './login.js';
export type { DockerLoginOptions } from './login.js';
export { dockerPreflight } from './preflight.js';
export type { DockerPreflight } from './preflight.js';
export { detectProblem, howToFix } from './problem.js';
export type { DaemonProblem } from './problem.js';
export { dockerPush } from './push.js';
export type { DockerPushOptions, DockerPushResult } from './push.js';
export { parseByteSize, parsePushLine } from './push-progress.js';
export type { LayerProgress, LayerStatus, PushedManifest, PushLine } from './push-progress.js';
export { registryHost, registryOf, repositoryOf } from './reference.js';
export type { DockerCallOptions } from './run.js';
