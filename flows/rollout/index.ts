import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { explainAwsError } from '../../src/aws/errors.js';
import type { Flow, Outputs } from '../../src/engine/types.js';
import { readProjectSettings } from '../../src/local/project-settings.js';
import type { Runtime } from '../shared/runtime.js';
import { rolloutClients, rolloutContext, type RolloutContext } from './context.js';
import { rolloutQuestions } from './questions.js';
import { approvalStep } from './steps/approval.js';
import { cluster } from './steps/cluster.js';
import { environment, environmentFile } from './steps/environment.js';
import { executionRole } from './steps/execution-role.js';
import { identity } from './steps/identity.js';
import { image } from './steps/image.js';
import { listener, loadBalancer, targetGroup } from './steps/load-balancer.js';
import { logGroup } from './steps/log-group.js';
import { network } from './steps/network.js';
import { loadBalancerSecurityGroup, taskSecurityGroup } from './steps/security-groups.js';
import { service } from './steps/service.js';
import { taskDefinition } from './steps/task-definition.js';
import { watch } from './steps/watch.js';
import { ec2Steps, expressSteps, expressSummary, launchTypeFor } from './targets/index.js';
import { settleKnown } from '../shared/settled.js';

/** What a rollout creates, in order; the approval lists the ones that do not exist yet. */
const RESOURCES = [loadBalancerSecurityGroup, taskSecurityGroup, executionRole, logGroup, cluster, loadBalancer, targetGroup, listener];

/** The Fargate service (chapter 14): the first target, and the default. */
const FARGATE_STEPS = [identity, environment, image, network, approvalStep(RESOURCES), environmentFile, ...RESOURCES, taskDefinition, service, watch];

/**
 * `slipway rollout --env <env>`: chapters 4, 13 and 14 of the book with direct ECS calls — the last
 * published image, by digest, watched until it runs or fails with a diagnosis — on the target the
 * environment names (`launchType`): a Fargate service behind a load balancer, EC2 capacity of an Auto
 * Scaling group behind the same load balancer, or ECS Express Mode.
 */
export function rolloutFlow(runtime: Runtime): Flow<RolloutContext> {
  const clients = rolloutClients(runtime);
  const saved = readProjectSettings(runtime.cwd);
  return {
    name: 'rollout',
    title: 'Roll out',
    questions: settleKnown(rolloutQuestions({ region: runtime.aws.region, app: saved?.app, cwd: runtime.cwd }), runtime, saved),
    target: async (answers, prompter) => {
      const region = String(answers.region);
      try {
        const sts = await clients<STSClient>('sts', region, prompter);
        const who = await sts.send(new GetCallerIdentityCommand({}));
        return { account: who.Account, region, app: String(answers.app), env: String(answers.env) };
      } catch (error) {
        throw explainAwsError(error, 'Finding out whose credentials these are (sts:GetCallerIdentity)');
      }
    },
    context: rolloutContext(runtime, clients),
    // The environment the answers name says where it runs.
    steps: (answers) => {
      const target = launchTypeFor(runtime.cwd, answers);
      return target === 'EC2' ? ec2Steps() : target === 'EXPRESS' ? expressSteps() : FARGATE_STEPS;
    },
    explainError: (error, step) => explainAwsError(error, step.title),
    summary: (outputs) => expressSummary(outputs) ?? rolloutSummary(outputs),
  };
}

export function rolloutSummary(outputs: Record<string, Outputs>): string[] {
  const url = `http://${String(outputs['load-balancer']?.dnsName)}/`;
  const revision = String(outputs['task-definition']?.arn ?? '').split('/').pop();
  const image = String(outputs.image?.image ?? '');
  if (outputs.watch?.detached) {
    return [`Deployment ${String(outputs.watch.deploymentId)} of ${revision} started; ECS carries it on.`, `Watch it with \`slipway rollout --env ${String(outputs.environment?.env)}\`. URL when it is up: ${url}`];
  }
  const digest = image.split('@')[1] ?? image;
  if (outputs.service && outputs.service.started !== true) {
    // Nothing was deployed: "deployed in" would be the age of an old deployment.
    const env = String(outputs.environment?.env);
    return [`Running at ${url}`, `${revision} · ${digest} · nothing changed, so nothing was deployed`, `To start its tasks again anyway: \`slipway rollout --env ${env} --force\`.`];
  }
  const seconds = Math.round(Number(outputs.watch?.deployedMs ?? outputs.watch?.watchedMs ?? 0) / 1000);
  return [`Running at ${url}`, `${revision} · ${digest} · deployed in ${seconds} s`];
}
