import { callerContext, visible, type Caller } from './caller.js';
import { evaluate, type Decision, type RequestContext } from './policy.js';
import type { SandboxState } from './state.js';

export interface Verdict {
  decision: Decision;
  /** AWS's wording: "User: … is not authorized to perform: … on resource: … because …". */
  message: string;
}

/** Every identity-policy document that applies to the caller (group memberships once propagated). */
export function identityPolicies(state: SandboxState, caller: Caller, now: number): string[] {
  const docs: string[] = [];
  const collect = (owner: { attachedPolicies: string[]; inlinePolicies: Record<string, string> }) => {
    docs.push(...Object.values(owner.inlinePolicies));
    for (const arn of owner.attachedPolicies) {
      const policy = state.iam.policies[arn];
      const version = policy?.versions.find((v) => v.id === policy.defaultVersionId);
      if (version) docs.push(version.document);
    }
  };
  if (caller.kind === 'session') {
    if (caller.role) collect(caller.role);
    return docs;
  }
  collect(caller.user);
  for (const membership of caller.user.groups) {
    const group = state.iam.groups[membership.group];
    if (group && visible(state, membership.at, now)) collect(group);
  }
  return docs;
}

/** Decides one request as IAM would, and words the denial as the services do. */
export function authorize(state: SandboxState, caller: Caller, action: string, resource: string, now: number, extra: RequestContext = {}): Verdict {
  const context = { ...callerContext(state, caller, now), ...extra };
  const decision = evaluate(identityPolicies(state, caller, now), action, resource, context);
  const why = decision === 'explicit-deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return { decision, message: `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}` };
}
