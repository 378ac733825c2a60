import { DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand, type ECSManagedResources } from '@aws-sdk/client-ecs';
import { abortableSleep } from '../../../../src/aws/waiters.js';
import { CancelledError, SlipwayError } from '../../../../src/engine/errors.js';
import type { Step } from '../../../../src/engine/types.js';
import type { RolloutContext } from '../../context.js';
import { describeExpress } from './service.js';

/**
 * Stays with an Express Mode service until it is ACTIVE, runs our revision and has its URL
 * (`activeConfigurations[].ingressPaths[].endpoint`), showing each resource ECS makes for it as its
 * status changes (DescribeServiceRevisions: load balancer, certificate, listener, target group, security
 * groups, scaling, log group, alarm) — and, where ECS reports it, the revision's deployment. Like the
 * other watches, Ctrl-C or a crash only stops the watching.
 */
export const expressWatch: Step<RolloutContext> = {
  id: 'watch',
  title: 'Express Mode service and its URL',
  plan: () => 'watch the Express Mode service until it is ACTIVE with its URL',
  readOnly: true,
  async probe(c) {
    return c.settings.detach ? { detached: true, serviceRevisionArn: c.output('service', 'serviceRevisionArn') } : undefined;
  },
  async apply(c) {
    const revisionArn = c.output('service', 'serviceRevisionArn');
    const started = Date.now();
    const deadline = c.now() + c.settings.watchMinutes * 60_000;
    const shown = new Map<string, string>();
    let lastStatus = '';
    const say = (key: string, line: string, level: 'info' | 'warn' = 'info') => {
      if (shown.get(key) === line) return;
      shown.set(key, line);
      c.report.log(line, level);
    };
    try {
      for (;;) {
        const service = await describeExpress(c);
        const status = service?.status?.statusCode ?? 'PROVISIONING';
        const reason = service?.status?.statusReason;
        if (`${status}${reason}` !== lastStatus) c.report.log(`service ${c.names.service}: ${status}${reason ? ` — ${reason}` : ''}`);
        lastStatus = `${status}${reason}`;
        if (status === 'DRAINING' || status === 'INACTIVE') {
          throw new SlipwayError(`The Express Mode service ${c.names.service} is ${status} (deleted while we watched).`, { fix: 'Roll out again once it is gone, to make a new one.' });
        }
        const resources = await managedResources(c, revisionArn);
        const lines = resourceLines(resources);
        for (const [key, line] of lines) say(key, line, /FAILED/.test(line) ? 'warn' : 'info');
        const done = lines.length > 0 && lines.every(([, line]) => / ACTIVE$/.test(line));
        const failed = lines.find(([, line]) => /FAILED/.test(line));
        if (failed) throw new SlipwayError(`ECS could not make what the Express Mode service needs: ${failed[1]}.`, { fix: 'Look at the service in the ECS console (its resources and events); fix the cause, then roll out again.' });
        const ours = service?.activeConfigurations?.find((k) => k.serviceRevisionArn === revisionArn);
        const endpoint = ours?.ingressPaths?.find((p) => p.endpoint)?.endpoint;
        const deployment = await deploymentStatus(c, service?.currentDeployment, revisionArn);
        if (deployment && /ROLLBACK|STOPPED/.test(deployment)) {
          throw new SlipwayError(`The Express Mode deployment ended ${deployment}: ECS kept the previous revision.`, { why: 'The new revision did not become healthy (its canary failed).', fix: 'Look at the service’s events and logs, fix the app, publish and roll out again.' });
        }
        c.report.progress('resources active', lines.filter(([, line]) => / ACTIVE$/.test(line)).length, lines.length || 1, 'items');
        if (status === 'ACTIVE' && ours && endpoint && (done || lines.length === 0) && (!deployment || deployment === 'SUCCESSFUL')) {
          c.report.log(`Running at ${endpoint}`);
          return { serviceRevisionArn: revisionArn, endpoint, watchedMs: Date.now() - started, outcome: 'completed' };
        }
        if (c.now() > deadline) {
          throw new SlipwayError(`The Express Mode service is not ready after ${c.settings.watchMinutes} min (${status}).`, {
            why: reason ?? 'ECS is still making its resources or deploying the revision.',
            fix: `ECS keeps going on its own: \`slipway rollout --env ${c.settings.env}\` watches it again.`,
          });
        }
        await abortableSleep(c.pollMs * (0.8 + Math.random() * 0.4), c.signal);
      }
    } catch (error) {
      if (error instanceof CancelledError || c.signal.aborted) {
        c.report.log(`Stopped watching. ECS carries on; \`slipway rollout --env ${c.settings.env}\` watches it again.`, 'warn');
        throw new CancelledError(`Stopped watching; ECS carries on. Re-attach with: slipway rollout --env ${c.settings.env}`);
      }
      throw error;
    }
  },
};

async function managedResources(c: RolloutContext, revisionArn: string): Promise<ECSManagedResources | undefined> {
  const out = await (await c.ecs()).send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }), { abortSignal: c.signal }).catch(() => undefined);
  return out?.serviceRevisions?.[0]?.ecsManagedResources;
}

/**
 * The status of the service's current deployment when ECS reports one and it deploys our revision: an
 * earlier deployment's ROLLBACK_… (a failed attempt before this one) is not this revision's outcome.
 */
async function deploymentStatus(c: RolloutContext, arn: string | undefined, revisionArn: string): Promise<string | undefined> {
  if (!arn) return undefined;
  const out = await (await c.ecs()).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal: c.signal }).catch(() => undefined);
  const deployment = out?.serviceDeployments?.[0];
  const target = deployment?.targetServiceRevision?.arn;
  return target === undefined || target === revisionArn ? deployment?.status : undefined;
}

/** [key, "load balancer ecs-express-…: ACTIVE"] for every resource ECS made, in a fixed order. */
export function resourceLines(r: ECSManagedResources | undefined): [string, string][] {
  if (!r) return [];
  const short = (arn: string | undefined) => (arn ?? '').split(/[/:]/).filter(Boolean).slice(-2).join('/');
  const lines: [string, string][] = [];
  const add = (kind: string, arn: string | undefined, status: string | undefined, extra = '') => lines.push([`${kind}:${arn}`, `${kind} ${short(arn)}${extra}: ${status ?? '?'}`]);
  for (const path of r.ingressPaths ?? []) {
    add('load balancer', path.loadBalancer?.arn, path.loadBalancer?.status, path.loadBalancer?.scheme ? ` (${path.loadBalancer.scheme})` : '');
    if (path.certificate) add('certificate', path.certificate.arn, path.certificate.status, path.certificate.domainName ? ` for ${path.certificate.domainName}` : '');
    if (path.listener) add('HTTPS listener', path.listener.arn, path.listener.status);
    if (path.rule) add('listener rule', path.rule.arn, path.rule.status);
    for (const group of path.targetGroups ?? []) add('target group', group.arn, group.status, group.healthCheckPath ? ` (health ${group.healthCheckPath} on ${group.port})` : '');
    for (const group of path.loadBalancerSecurityGroups ?? []) add('load balancer security group', group.arn, group.status);
  }
  for (const group of r.serviceSecurityGroups ?? []) add('service security group', group.arn, group.status);
  if (r.autoScaling?.scalableTarget) add('scaling target', r.autoScaling.scalableTarget.arn, r.autoScaling.scalableTarget.status, ` (${r.autoScaling.scalableTarget.minCapacity}–${r.autoScaling.scalableTarget.maxCapacity} tasks)`);
  for (const policy of r.autoScaling?.applicationAutoScalingPolicies ?? []) add('scaling policy', policy.arn, policy.status, ` (${policy.metric} ${policy.targetValue})`);
  for (const group of r.logGroups ?? []) add('log group', group.arn, group.status, group.logGroupName ? ` ${group.logGroupName}` : '');
  for (const alarm of r.metricAlarms ?? []) add('alarm', alarm.arn, alarm.status);
  return lines;
}
