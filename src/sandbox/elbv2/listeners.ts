import type {
  Action,
  CreateListenerInput,
  CreateListenerOutput,
  DeleteListenerInput,
  DescribeListenersInput,
  DescribeListenersOutput,
  Listener,
  ModifyListenerInput,
  ModifyListenerOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fault, SandboxUnsupportedError } from '../errors.js';
import { op, validationError, type Operation, type Out } from '../operation.js';
import type { Elbv2Listener, Elbv2LoadBalancer } from '../state.js';
import { elbArn, listenerNotFound, mergeTags, regional, requireListener, requireLoadBalancer, requireTargetGroup, resourceId, type Regional } from './common.js';
import { loadBalancersOf } from './target-groups.js';

export function listenerOut(listener: Elbv2Listener): Listener {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as Listener['Protocol'],
    DefaultActions: [
      {
        Type: 'forward',
        TargetGroupArn: listener.targetGroupArn,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: listener.targetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
      },
    ],
  };
}

/** The one target group a listener forwards everything to (the only kind of default action simulated). */
function forwardTarget(r: Regional, lb: Elbv2LoadBalancer, actions: Action[] | undefined, listenerArn?: string): string {
  if (!actions?.length) throw validationError("1 validation error detected: Value null at 'defaultActions' failed to satisfy constraint: Member must not be null");
  const groups = actions[0]?.ForwardConfig?.TargetGroups ?? [];
  if (actions.length !== 1 || actions[0]?.Type !== 'forward' || groups.length > 1) {
    throw new SandboxUnsupportedError('the sandbox does not simulate listener actions other than one forward to one target group yet');
  }
  const arn = actions[0].TargetGroupArn ?? groups[0]?.TargetGroupArn;
  const tg = requireTargetGroup(r, arn);
  if (tg.vpcId !== lb.vpcId) throw validationError(`The target group '${tg.arn}' is not in the same VPC as the load balancer`);
  // A target group serves one load balancer; the listener being changed does not count against itself.
  const others = loadBalancersOf(
    { ...r, listeners: Object.fromEntries(Object.entries(r.listeners).filter(([key]) => key !== listenerArn)) },
    tg.arn,
  ).filter((other) => other !== lb.arn);
  if (others.length) throw fault('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${tg.arn}`);
  return tg.arn;
}

function checkProtocolAndPort(protocol: string | undefined, port: number | undefined): { protocol: string; port: number } {
  if (!protocol) throw validationError('A listener protocol must be specified');
  if (protocol === 'HTTPS') throw new SandboxUnsupportedError('the sandbox does not simulate HTTPS listeners (certificates) yet');
  if (protocol !== 'HTTP') throw fault('UnsupportedProtocol', `Protocol '${protocol}' is not supported for load balancers of type 'application'`);
  if (port === undefined) throw validationError('A listener port must be specified');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw validationError(`1 validation error detected: Value '${port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`);
  return { protocol, port };
}

const duplicate = (lbArn: string) => fault('DuplicateListener', `A listener already exists on this port for this load balancer '${lbArn}'`);

export const listenerOperations: Record<string, Operation> = {
  CreateListener: op<CreateListenerInput, Out<CreateListenerOutput>>({
    resource: (input) => input.LoadBalancerArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      const lb = requireLoadBalancer(r, input.LoadBalancerArn);
      const { protocol, port } = checkProtocolAndPort(input.Protocol, input.Port);
      const targetGroupArn = forwardTarget(r, lb, input.DefaultActions);
      // The same listener again is returned, as AWS does; another one on that port is an error.
      const existing = Object.values(r.listeners).find((l) => l.loadBalancerArn === lb.arn && l.port === port);
      if (existing) {
        if (existing.protocol !== protocol || existing.targetGroupArn !== targetGroupArn) throw duplicate(lb.arn);
        return { Listeners: [listenerOut(existing)] };
      }
      const lbPath = lb.arn.split(':loadbalancer/')[1];
      const listener: Elbv2Listener = { arn: elbArn(ctx, `listener/${lbPath}/${resourceId(ctx)}`), loadBalancerArn: lb.arn, protocol, port, targetGroupArn, tags: mergeTags([], input.Tags) };
      r.listeners[listener.arn] = listener;
      return { Listeners: [listenerOut(listener)] };
    },
  }),

  DescribeListeners: op<DescribeListenersInput, Out<DescribeListenersOutput>>({
    run: (input, ctx) => {
      const r = regional(ctx);
      if (!input.LoadBalancerArn && !input.ListenerArns?.length) throw validationError('You must specify either listener ARNs or a load balancer ARN');
      if (input.LoadBalancerArn) requireLoadBalancer(r, input.LoadBalancerArn);
      if ((input.ListenerArns ?? []).some((arn) => !r.listeners[arn])) throw listenerNotFound();
      const selected = Object.values(r.listeners).filter(
        (l) => (!input.LoadBalancerArn || l.loadBalancerArn === input.LoadBalancerArn) && (!input.ListenerArns?.length || input.ListenerArns.includes(l.arn)),
      );
      return { Listeners: selected.map(listenerOut) };
    },
  }),

  ModifyListener: op<ModifyListenerInput, Out<ModifyListenerOutput>>({
    resource: (input) => input.ListenerArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      const listener = requireListener(r, input.ListenerArn);
      const lb = requireLoadBalancer(r, listener.loadBalancerArn);
      const { protocol, port } = checkProtocolAndPort(input.Protocol ?? listener.protocol, input.Port ?? listener.port);
      if (Object.values(r.listeners).some((l) => l.arn !== listener.arn && l.loadBalancerArn === lb.arn && l.port === port)) throw duplicate(lb.arn);
      const targetGroupArn = input.DefaultActions ? forwardTarget(r, lb, input.DefaultActions, listener.arn) : listener.targetGroupArn;
      Object.assign(listener, { protocol, port, targetGroupArn });
      return { Listeners: [listenerOut(listener)] };
    },
  }),

  DeleteListener: op<DeleteListenerInput, object>({
    resource: (input) => input.ListenerArn ?? '*',
    run: (input, ctx) => {
      const r = regional(ctx, true);
      delete r.listeners[requireListener(r, input.ListenerArn).arn];
      return {};
    },
  }),
};
