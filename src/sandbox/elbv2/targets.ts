import type {
  DeregisterTargetsInput,
  DescribeTargetHealthInput,
  DescribeTargetHealthOutput,
  RegisterTargetsInput,
  TargetDescription,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fault } from '../errors.js';
import { op, validationError, type Operation, type Out } from '../operation.js';
import type { Elbv2Target, Elbv2TargetGroup } from '../state.js';
import { regional, requireTargetGroup } from './common.js';
import { loadBalancersOf } from './target-groups.js';

/** ELBv2's descriptions of its health reason codes, for targets stored with a reason only. */
const DESCRIPTIONS: Record<string, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.ResponseCodeMismatch': 'Health checks failed with these codes: [404]',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.InvalidState': 'Target is in the stopped state',
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The targets a request names, with the group's port where none is given. */
function targetsOf(tg: Elbv2TargetGroup, targets: TargetDescription[] | undefined): { id: string; port: number }[] {
  if (!targets?.length) throw validationError("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
  return targets.map((t) => {
    const id = t.Id ?? '';
    if (tg.targetType === 'ip' && !IPV4.test(id)) throw fault('InvalidTarget', `The IP address '${id}' is not a valid IPv4 address`);
    if (tg.targetType === 'instance' && !/^i-[0-9a-f]{8,17}$/.test(id)) throw fault('InvalidTarget', `The following targets are not valid instances: '${id}'`);
    return { id, port: t.Port ?? tg.port };
  });
}

const sameTarget = (a: { id: string; port: number }, b: { id: string; port: number }) => a.id === b.id && a.port === b.port;

function healthOut(tg: Elbv2TargetGroup, target: Elbv2Target, inUse: boolean): TargetHealthDescription {
  // A group no listener forwards to is not health-checked: its targets are "unused", whatever was recorded.
  const { state, reason } = inUse || target.state === 'draining' ? target : { state: 'unused' as const, reason: 'Target.NotInUse' };
  const description = reason ? (inUse ? target.description : undefined) ?? DESCRIPTIONS[reason] : undefined;
  return {
    Target: { Id: target.id, Port: target.port },
    HealthCheckPort: tg.healthCheckPort === 'traffic-port' ? String(target.port) : tg.healthCheckPort,
    TargetHealth: { State: state, Reason: reason as NonNullable<TargetHealthDescription['TargetHealth']>['Reason'], Description: description },
  };
}

export const targetOperations: Record<string, Operation> = {
  RegisterTargets: op<RegisterTargetsInput, object>({
    resource: (input) => input.TargetGroupArn ?? '*',
    run: (input, ctx) => {
      const tg = requireTargetGroup(regional(ctx, true), input.TargetGroupArn);
      tg.targets ??= [];
      for (const target of targetsOf(tg, input.Targets)) {
        if (!tg.targets.some((t) => sameTarget(t, target))) tg.targets.push({ ...target, state: 'initial', reason: 'Elb.RegistrationInProgress' });
      }
      return {};
    },
  }),

  // The sandbox skips the deregistration delay: a deregistered target is gone at once.
  DeregisterTargets: op<DeregisterTargetsInput, object>({
    resource: (input) => input.TargetGroupArn ?? '*',
    run: (input, ctx) => {
      const tg = requireTargetGroup(regional(ctx, true), input.TargetGroupArn);
      const doomed = targetsOf(tg, input.Targets);
      const missing = doomed.find((d) => !(tg.targets ?? []).some((t) => sameTarget(t, d)));
      if (missing) throw fault('InvalidTarget', `The target '${missing.id}' on port ${missing.port} is not registered in the target group`);
      tg.targets = tg.targets.filter((t) => !doomed.some((d) => sameTarget(t, d)));
      return {};
    },
  }),

  DescribeTargetHealth: op<DescribeTargetHealthInput, Out<DescribeTargetHealthOutput>>({
    run: (input, ctx) => {
      const r = regional(ctx);
      const tg = requireTargetGroup(r, input.TargetGroupArn);
      const inUse = loadBalancersOf(r, tg.arn).length > 0;
      const registered = tg.targets ?? [];
      if (!input.Targets?.length) return { TargetHealthDescriptions: registered.map((t) => healthOut(tg, t, inUse)) };
      return {
        TargetHealthDescriptions: targetsOf(tg, input.Targets).map((wanted) => {
          const found = registered.find((t) => sameTarget(t, wanted));
          return healthOut(tg, found ?? { ...wanted, state: 'unused', reason: 'Target.NotRegistered' }, found ? inUse : true);
        }),
      };
    },
  }),
};
