import type { Flow } from '../../src/engine/types.js';
import type { Runtime } from '../shared/runtime.js';
import { callerIdentity, credentialsFound } from './checks-aws.js';
import { dockerBuildx, dockerClient, dockerDaemon } from './checks-docker.js';
import { awsFileModes, nodeVersion, regionSet } from './checks-local.js';
import { doctorContext, type DoctorContext } from './context.js';

/** `slipway doctor`: is this machine ready for the other flows? Every check runs; each failure says how to fix it. */
export function doctorFlow(runtime: Runtime): Flow<DoctorContext> {
  return {
    name: 'doctor',
    title: 'Doctor',
    questions: [],
    kind: 'checks',
    target: async () => ({ region: runtime.aws.region }),
    context: doctorContext(runtime),
    steps: [nodeVersion, dockerClient, dockerDaemon, dockerBuildx, regionSet, awsFileModes, credentialsFound, callerIdentity],
    summary: (outputs) => {
      const identity = outputs.identity;
      return identity ? [`Account ${String(identity.account)} as ${String(identity.arn)}`] : [];
    },
  };
}
