import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test-side proxy in front of aws-sim (itself in front of moto 4.1.4) for the places where both
 * still answer otherwise than AWS in a way slipway's flows meet. The product follows AWS; this file
 * makes the emulator follow it too. Each correction is listed in CORRECTIONS with what AWS does and
 * why it matters, and counted when it steps in (`counts`), like aws-sim's `corrected`.
 */
export const CORRECTIONS = {
  'ssm-ecs-al2023-ami':
    'AWS publishes the ECS-optimized Amazon Linux 2023 AMI under /aws/service/ecs/optimized-ami/amazon-linux-2023/[arm64/]recommended/image_id; ' +
    "moto 4.1.4's parameter data predates it (ParameterNotFound), so the EC2 target's launch template cannot be made. " +
    "Answered with moto's Amazon Linux 2 ECS AMI of the same architecture, under the AL2023 name.",
  'iam-aws-managed-policy-missing':
    'AWS has the managed policy arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices (2025); ' +
    "moto 4.1.4's list of AWS managed policies predates it and answers AttachRolePolicy with an HTML 500. " +
    'Attach, detach, list and GetPolicy of it are answered here.',
  'iam-login-profile-reset-required':
    'CreateLoginProfile with PasswordResetRequired=true makes AWS answer it in CreateLoginProfile and GetLoginProfile; moto 4.1.4 ignores the ' +
    'parameter (never shown), so a one-time console password looks permanent. Remembered here and put into both answers.',
  'ecs-unknown-operation':
    'An AWS endpoint answers an operation it does not have with 400 UnknownOperationException; moto answers ECS operations it lacks ' +
    '(ECS Express Mode: *ExpressGatewayService*) with a 500 that the SDK retries and then reports as an opaque InternalFailure.',
  'autoscaling-launch-template':
    "DescribeAutoScalingGroups shows a group's LaunchTemplate (id, name, the Version it was given); moto 4.1.4's response template has a " +
    'stray "}" after LaunchTemplateId (`{% if group.provided_launch_template_version %}}`), so the SDK reads the element as {} and the ' +
    "EC2 target's probe never sees its own launch template. The stray brace is removed.",
  'logs-filter-log-events':
    'FilterLogEvents searches only the streams named by logStreamNamePrefix and always interleaves the streams in time order (AWS ignores ' +
    '`interleaved` and takes it as true since 2019); moto 4.1.4 ignores the prefix (every stream of the group comes back) and returns ' +
    'stream after stream unless interleaved=true. `slipway logs` asks for `ecs/`: interleaved is set, and events of other streams are dropped.',
  'ecs-exec':
    'ECS Exec: a task launched while its service has enableExecuteCommand shows enableExecuteCommand and, per container, the ' +
    'ExecuteCommandAgent in managedAgents (RUNNING once the container runs); ExecuteCommand answers a Session Manager session ' +
    "(sessionId, streamUrl, tokenValue) or ECS's InvalidParameterException. moto 4.1.4 has no ExecuteCommand (500) and aws-sim's " +
    'service tasks never show the agent. Answered here from the service settings UpdateService/CreateService sent; each ' +
    'session is recorded (`execSessions`).',
} as const;
export type CorrectionName = keyof typeof CORRECTIONS;

const EXPRESS_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices';
const MISSING_MANAGED_POLICIES = new Set([EXPRESS_POLICY]);
const AL2023 = /^\/aws\/service\/ecs\/optimized-ami\/amazon-linux-2023\/((?:arm64\/)?)recommended\/image_id$/;
const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.';
const ECS_MISSING_OPERATIONS = /ExpressGatewayService/;
const LOGS_FILTER = 'Logs_20140328.FilterLogEvents';
/** The region a SigV4-signed call names in its credential scope. */
const REGION_OF = (call: { headers: IncomingMessage['headers'] }) => /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(call.headers.authorization ?? ''))?.[1] ?? 'us-east-1';

interface Call {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An ExecuteCommand the ecs-exec correction answered. */
export interface ExecSession {
  cluster: string;
  taskArn: string;
  container: string;
  command: string;
  sessionId: string;
}

export interface CorrectionProxy {
  endpoint: string;
  /** ExecuteCommand calls answered (ecs-exec). */
  execSessions: ExecSession[];
  counts: Partial<Record<CorrectionName, number>>;
  /** Forgets what the corrections remember (attachments of missing managed policies). */
  reset(): void;
  close(): Promise<void>;
}

export async function startCorrectionProxy(upstream: string): Promise<CorrectionProxy> {
  const counts: Partial<Record<CorrectionName, number>> = {};
  const attached = new Map<string, Set<string>>(); // role name → missing managed policy ARNs
  const resetRequired = new Set<string>(); // user names whose login profile must be changed at first sign-in
  const corrected = (name: CorrectionName) => (counts[name] = (counts[name] ?? 0) + 1);
  const execSince = new Map<string, number>(); // service name → epoch seconds exec was turned on
  const execSessions: ExecSession[] = [];
  const target = new URL(upstream);

  const forward = (call: Call, body = call.body): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = { ...call.headers, host: target.host, 'content-length': String(body.length) };
      const req = request({ host: target.hostname, port: target.port, method: call.method, path: call.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const xml = (status: number, text: string): Answer => ({ status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(text) });
  const json = (status: number, value: unknown): Answer => ({ status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from(JSON.stringify(value)) });
  const iamOk = (action: string, result = '') =>
    xml(200, `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">${result ? `<${action}Result>${result}</${action}Result>` : ''}<ResponseMetadata><RequestId>slipway-test</RequestId></ResponseMetadata></${action}Response>`);

  interface SimTask {
    taskArn?: string;
    group?: string;
    createdAt?: number;
    startedAt?: number;
    lastStatus?: string;
    enableExecuteCommand?: boolean;
    containers?: { name?: string; lastStatus?: string; managedAgents?: unknown[] }[];
  }
  /** A task of a service that had ECS Exec on when the task was launched gets the agent, as ECS gives it. */
  const withAgent = (task: SimTask): SimTask => {
    const since = task.group?.startsWith('service:') ? execSince.get(task.group.slice(8)) : undefined;
    if (since === undefined || (task.createdAt ?? 0) < since) return task;
    task.enableExecuteCommand = true;
    for (const k of task.containers ?? []) {
      const status = k.lastStatus === 'RUNNING' ? 'RUNNING' : k.lastStatus === 'STOPPED' ? 'STOPPED' : 'PENDING';
      k.managedAgents = [{ name: 'ExecuteCommandAgent', lastStatus: status, ...(task.startedAt && status !== 'PENDING' ? { lastStartedAt: task.startedAt } : {}) }];
    }
    return task;
  };

  async function ecsExec(call: Call, operation: string): Promise<Answer | undefined> {
    if (operation === 'CreateService' || operation === 'UpdateService') {
      const input = JSON.parse(call.body.toString() || '{}') as { serviceName?: string; service?: string; enableExecuteCommand?: boolean };
      const got = await forward(call);
      const name = (input.serviceName ?? input.service ?? '').split('/').pop() ?? '';
      if (got.status === 200 && input.enableExecuteCommand === true && !execSince.has(name)) execSince.set(name, Date.now() / 1000 - 0.001);
      if (got.status === 200 && input.enableExecuteCommand === false) execSince.delete(name);
      return got;
    }
    if (operation === 'DescribeTasks' && execSince.size > 0) {
      const got = await forward(call);
      if (got.status !== 200) return got;
      const out = JSON.parse(got.body.toString()) as { tasks?: SimTask[] };
      const before = JSON.stringify(out);
      out.tasks = (out.tasks ?? []).map(withAgent);
      if (JSON.stringify(out) === before) return got;
      corrected('ecs-exec');
      return json(200, out);
    }
    if (operation === 'ExecuteCommand') {
      corrected('ecs-exec');
      const input = JSON.parse(call.body.toString() || '{}') as { cluster?: string; task?: string; container?: string; command?: string; interactive?: boolean };
      if (input.interactive !== true) return json(400, { __type: 'InvalidParameterException', message: 'Interactive is the only mode supported currently.' });
      const described = await forward({ ...call, headers: { ...call.headers, 'x-amz-target': `${ECS_TARGET}DescribeTasks` } }, Buffer.from(JSON.stringify({ cluster: input.cluster, tasks: [input.task] })));
      if (described.status !== 200) return described;
      const task = ((JSON.parse(described.body.toString()) as { tasks?: SimTask[] }).tasks ?? []).map(withAgent)[0];
      if (!task) return json(400, { __type: 'InvalidParameterException', message: 'The specified task was not found.' });
      const container = task.containers?.find((k) => k.name === input.container) ?? (input.container === undefined && task.containers?.length === 1 ? task.containers[0] : undefined);
      if (!container) return json(400, { __type: 'InvalidParameterException', message: 'The specified container was not found.' });
      if (!task.enableExecuteCommand || task.lastStatus !== 'RUNNING' || container.lastStatus !== 'RUNNING') {
        return json(400, {
          __type: 'InvalidParameterException',
          message: 'The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.',
        });
      }
      const sessionId = `ecs-execute-command-${Math.random().toString(16).slice(2, 19).padEnd(17, '0')}`;
      const clusterName = (input.cluster ?? 'default').split('/').pop() ?? '';
      execSessions.push({ cluster: clusterName, taskArn: task.taskArn ?? '', container: container.name ?? '', command: input.command ?? '', sessionId });
      return json(200, {
        clusterArn: `arn:aws:ecs:${REGION_OF(call)}:123456789012:cluster/${clusterName}`,
        containerArn: `${(task.taskArn ?? '').replace(':task/', ':container/')}/${container.name}`,
        containerName: container.name,
        interactive: true,
        taskArn: task.taskArn,
        session: { sessionId, streamUrl: `wss://ssmmessages.${REGION_OF(call)}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe`, tokenValue: 'corrected-session-token' },
      });
    }
    return undefined;
  }

  async function answer(call: Call): Promise<Answer> {
    const amzTarget = String(call.headers['x-amz-target'] ?? '');
    if (amzTarget.startsWith(ECS_TARGET)) {
      const exec = await ecsExec(call, amzTarget.slice(ECS_TARGET.length));
      if (exec) return exec;
    }

    if (amzTarget === 'AmazonSSM.GetParameter') {
      const input = JSON.parse(call.body.toString() || '{}') as { Name?: string };
      const match = AL2023.exec(input.Name ?? '');
      if (match) {
        corrected('ssm-ecs-al2023-ami');
        const al2 = `/aws/service/ecs/optimized-ami/amazon-linux-2/${match[1]}recommended/image_id`;
        const got = await forward(call, Buffer.from(JSON.stringify({ ...input, Name: al2 })));
        if (got.status !== 200) return got;
        const out = JSON.parse(got.body.toString()) as { Parameter: { Name: string; ARN?: string } };
        out.Parameter.Name = input.Name ?? '';
        if (out.Parameter.ARN) out.Parameter.ARN = out.Parameter.ARN.replace(al2, input.Name ?? '');
        return json(200, out);
      }
    }

    if (amzTarget === LOGS_FILTER) {
      corrected('logs-filter-log-events');
      const input = JSON.parse(call.body.toString() || '{}') as { logStreamNamePrefix?: string };
      const got = await forward(call, Buffer.from(JSON.stringify({ ...input, interleaved: true })));
      const prefix = input.logStreamNamePrefix;
      if (got.status !== 200 || prefix === undefined) return got;
      const out = JSON.parse(got.body.toString()) as { events?: { logStreamName: string }[]; searchedLogStreams?: { logStreamName: string }[] };
      out.events = (out.events ?? []).filter((e) => e.logStreamName.startsWith(prefix));
      out.searchedLogStreams = (out.searchedLogStreams ?? []).filter((s) => s.logStreamName.startsWith(prefix));
      return json(200, out);
    }

    if (amzTarget.startsWith(ECS_TARGET) && ECS_MISSING_OPERATIONS.test(amzTarget.slice(ECS_TARGET.length))) {
      const got = await forward(call);
      if (got.status < 500) return got;
      corrected('ecs-unknown-operation');
      return json(400, { __type: 'UnknownOperationException', message: `Unknown operation ${amzTarget.slice(ECS_TARGET.length)} (moto 4.1.4 has no ECS Express Mode)` });
    }

    const form = String(call.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? new URLSearchParams(call.body.toString()) : undefined;
    const action = form?.get('Action');
    const policyArn = form?.get('PolicyArn') ?? '';
    const roleName = form?.get('RoleName') ?? '';
    if (form && action && MISSING_MANAGED_POLICIES.has(policyArn)) {
      if (action === 'AttachRolePolicy' || action === 'DetachRolePolicy') {
        corrected('iam-aws-managed-policy-missing');
        const role = await forward(call, Buffer.from(new URLSearchParams({ Action: 'GetRole', Version: '2010-05-08', RoleName: roleName }).toString()));
        if (role.status !== 200) return role;
        const set = attached.get(roleName) ?? new Set<string>();
        if (action === 'DetachRolePolicy' && !set.has(policyArn)) {
          return xml(404, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>Policy ${policyArn} was not found.</Message></Error><RequestId>slipway-test</RequestId></ErrorResponse>`);
        }
        if (action === 'AttachRolePolicy') set.add(policyArn);
        else set.delete(policyArn);
        attached.set(roleName, set);
        return iamOk(action);
      }
      if (action === 'GetPolicy') {
        corrected('iam-aws-managed-policy-missing');
        const name = policyArn.split('/').pop() ?? '';
        const count = [...attached.values()].filter((s) => s.has(policyArn)).length;
        return iamOk('GetPolicy', `<Policy><PolicyName>${name}</PolicyName><PolicyId>ANPAEXPRESSGATEWAY0001</PolicyId><Arn>${policyArn}</Arn><Path>/service-role/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>${count}</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>2025-11-21T00:00:00Z</CreateDate><UpdateDate>2025-11-21T00:00:00Z</UpdateDate></Policy>`);
      }
    }
    if (form && action === 'ListAttachedRolePolicies' && attached.get(roleName)?.size) {
      const got = await forward(call);
      if (got.status !== 200) return got;
      corrected('iam-aws-managed-policy-missing');
      const members = [...(attached.get(roleName) ?? [])].map((arn) => `<member><PolicyName>${arn.split('/').pop()}</PolicyName><PolicyArn>${arn}</PolicyArn></member>`).join('');
      const text = got.body.toString();
      const body = text.includes('<AttachedPolicies/>') ? text.replace('<AttachedPolicies/>', `<AttachedPolicies>${members}</AttachedPolicies>`) : text.replace('<AttachedPolicies>', `<AttachedPolicies>${members}`);
      return { ...got, body: Buffer.from(body) };
    }
    const userName = form?.get('UserName') ?? '';
    if (form && (action === 'CreateLoginProfile' || action === 'GetLoginProfile' || action === 'UpdateLoginProfile')) {
      const got = await forward(call);
      if (got.status !== 200) return got;
      const flag = form.get('PasswordResetRequired');
      if (action !== 'GetLoginProfile' && flag !== null) {
        if (flag === 'true') resetRequired.add(userName);
        else resetRequired.delete(userName);
      }
      const text = got.body.toString();
      if (!resetRequired.has(userName) || text.includes('<PasswordResetRequired>')) return got;
      corrected('iam-login-profile-reset-required');
      return { ...got, body: Buffer.from(text.replace('</LoginProfile>', '<PasswordResetRequired>true</PasswordResetRequired></LoginProfile>')) };
    }
    if (form && action === 'DescribeAutoScalingGroups') {
      const got = await forward(call);
      const text = got.body.toString();
      const fixed = text.replace(/(<LaunchTemplateId>[^<]*<\/LaunchTemplateId>)\s*\}/g, '$1');
      if (fixed === text) return got;
      corrected('autoscaling-launch-template');
      return { ...got, body: Buffer.from(fixed) };
    }
    if (form && (action === 'DeleteLoginProfile' || action === 'DeleteUser')) resetRequired.delete(userName);
    if (form && action === 'DeleteRole' && attached.get(roleName)?.size) {
      corrected('iam-aws-managed-policy-missing');
      return xml(409, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Cannot delete entity, must detach all policies first.</Message></Error><RequestId>slipway-test</RequestId></ErrorResponse>`);
    }
    return forward(call);
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      if (call.url.startsWith('/moto-api/reset')) {
        attached.clear();
        resetRequired.clear();
        execSince.clear();
        execSessions.length = 0;
      }
      answer(call).then(
        (a) => {
          const headers: Record<string, string | string[] | undefined> = { ...a.headers, 'content-length': String(a.body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(a.status, headers);
          res.end(a.body);
        },
        (error: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`correction proxy: ${error.message}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    execSessions,
    reset: () => {
      attached.clear();
      resetRequired.clear();
      execSince.clear();
      execSessions.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
