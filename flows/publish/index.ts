import { explainAwsError } from '../../src/aws/errors.js';
import type { Flow } from '../../src/engine/types.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import type { Runtime } from '../shared/runtime.js';
import { publishClients, publishContext, type PublishContext } from './context.js';
import { publishQuestions } from './questions.js';
import { cleanup } from './steps/cleanup.js';
import { survivingDaemonRestarts } from './steps/daemon-restarts.js';
import { ecrRepository } from './steps/ecr-repository.js';
import { login } from './steps/login.js';
import { preflight } from './steps/preflight.js';
import { project } from './steps/project.js';
import { push } from './steps/push.js';
import { record } from './steps/record.js';
import { releaseBuild } from './steps/release-build.js';
import { testStage } from './steps/test-stage.js';
import { version } from './steps/version.js';
import { settleKnown } from '../shared/settled.js';

/** `slipway publish`: chapters 2 and 5 of the book — test, build, tag, push to ECR, record the digest. */
export function publishFlow(runtime: Runtime): Flow<PublishContext> {
  const clients = publishClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'publish',
    title: 'Build and publish',
    questions: settleKnown(publishQuestions({ region: runtime.aws.region, app: saved?.app, namespace: saved?.ecr.namespace, keepImages: saved?.ecr.keepImages, cwd: runtime.cwd }), runtime, saved),
    target: async (answers, prompter) => {
      const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const region = String(answers.region);
      try {
        const who = await (await clients.sts(region, prompter)).send(new GetCallerIdentityCommand({}));
        return { account: who.Account, region, app: String(answers.app) };
      } catch (error) {
        throw explainAwsError(error, 'Finding out whose credentials these are (sts:GetCallerIdentity)');
      }
    },
    context: publishContext(runtime, clients),
    // The repository comes before the tests so a republish can see the version is already there.
    // After the preflight, a Docker daemon restart under any step costs a wait, not the run.
    steps: [preflight, ...[project, version, ecrRepository, testStage, releaseBuild, login, push, record, cleanup].map(survivingDaemonRestarts)],
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => [
      `Published ${String(outputs.push?.uri)}:${String(outputs.push?.tag)} (and :latest)`,
      `Digest ${String(outputs.push?.digest)} — recorded in slipway/project.json for \`slipway rollout\`.`,
    ],
  };
}
