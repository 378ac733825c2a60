/**
 * What ECS Exec needs from the task role (ECS developer guide, "ECS Exec" IAM permissions): the SSM
 * agent ECS runs beside the container opens its control and data channels with these four actions.
 * The policy slipway adds grants exactly them, nothing more.
 */
export const EXEC_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/** The inline policy's name on the task role. */
export const EXEC_POLICY_NAME = 'slipway-ecs-exec';

export function execPolicyDocument(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'EcsExecSessionChannels', Effect: 'Allow', Action: EXEC_ACTIONS, Resource: '*' }] });
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/**
 * The actions of EXEC_ACTIONS these policy documents (URL-encoded or not) do not allow: allowed by an
 * Allow statement (wildcards too: `ssmmessages:*`, `*`) and denied by no Deny. Conditions and resources
 * are not weighed: the agent's calls are on `*`.
 */
export function missingExecActions(documents: string[]): string[] {
  const statements: Statement[] = [];
  for (const raw of documents) {
    try {
      const text = raw.trim().startsWith('%7B') || raw.trim().startsWith('%7b') ? decodeURIComponent(raw) : raw;
      const parsed = JSON.parse(text) as { Statement?: Statement | Statement[] };
      statements.push(...(Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : []));
    } catch {
      // A document slipway cannot read grants nothing it can count on.
    }
  }
  const covers = (s: Statement, action: string) => (s.Action !== undefined ? list(s.Action).some((p) => matches(p, action)) : s.NotAction !== undefined && !list(s.NotAction).some((p) => matches(p, action)));
  return EXEC_ACTIONS.filter((action) => !statements.some((s) => s.Effect === 'Allow' && covers(s, action)) || statements.some((s) => s.Effect === 'Deny' && covers(s, action)));
}
