import { existsSync } from 'node:fs';
import { validateRegion } from '../../src/aws/settings.js';
import type { Answers, Question } from '../../src/engine/types.js';
import { validateAppName } from '../../src/local/project-settings.js';
import { environmentPath, isProductionName, LOG_RETENTION_DAYS } from './environment-path.js';
import { SIZE_CHOICES, validateSize } from './fargate-sizes.js';
import { validateEnvName } from './names.js';
import { INSTANCE_CHOICES, INSTANCE_TYPE } from './targets/ec2/instance-types.js';

/** What isProductionName accepts, in words for `--help`. */
const PRODUCTION_NAMES = 'a production name (prod, production, live, prod-…)';

export interface RolloutAnswers {
  region: string;
  app: string;
  env: string;
  /** An image to deploy instead of the last published one: `<repository uri>@sha256:…` or `:<tag>`. */
  image: string;
  /** Promote the digest running in this environment. */
  from: string;
  approve: boolean;
  /** A new deployment even when nothing changed: the tasks start again (a changed secret, a rehearsal). */
  force: boolean;
  detach: boolean;
  watchMinutes: number;
  /** Only asked for a new environment; the environment file holds them afterwards. */
  launchType: 'FARGATE' | 'EC2' | 'EXPRESS';
  port: number;
  healthPath: string;
  desiredCount: number;
  size: string;
  retentionDays: number;
  protected: boolean;
  /** EC2 capacity of a new EC2 environment. */
  instanceType: string;
  instances: number;
  minInstances: number;
  maxInstances: number;
  /** '' for none. */
  keyPair: string;
}

/** Where tasks run, simplest first in the reference (§1); the default keeps today's Fargate service. */
export const LAUNCH_TYPE_CHOICES: { value: string; label: string }[] = [
  { value: 'FARGATE', label: 'Fargate service — your own load balancer, networking and deployments; no servers to manage' },
  { value: 'EXPRESS', label: 'ECS Express Mode — an HTTP app or API with a public HTTPS URL, fastest; ECS makes the rest' },
  { value: 'EC2', label: 'EC2 instances — cheapest steady capacity and host access (the book’s chapter 4)' },
];

const HEALTH_PATH = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/;
const IMAGE = /^[a-z0-9][a-z0-9.-]*(:\d+)?\/[a-z0-9._/-]+(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/;

const whole = (min: number, max: number) => (v: string) => (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? undefined : `A whole number from ${min} to ${max}.`);

/** Defaults come from slipway/project.json (the app) and, for a new environment, from its name. */
export function rolloutQuestions(defaults: { region?: string; app?: string; cwd?: string }): Question[] {
  const isNew = (a: Answers) => !defaults.cwd || !existsSync(environmentPath(defaults.cwd, String(a.env)));
  const isNewEc2 = (a: Answers) => isNew(a) && a.launchType === 'EC2';
  return [
    { id: 'region', flag: '--region', message: 'Region to run in', kind: 'text', default: defaults.region ?? 'us-east-1', validate: validateRegion },
    { id: 'app', flag: '--app', message: 'Application name', kind: 'text', default: defaults.app, validate: validateAppName },
    { id: 'env', flag: '--env', message: 'Environment (dev, staging, prod…)', kind: 'text', default: 'dev', validate: validateEnvName },
    {
      id: 'image',
      flag: '--image',
      advanced: true,
      message: 'Image to deploy (default: the last one `slipway publish` recorded)',
      kind: 'text',
      default: '',
      validate: (v) => (v === '' || IMAGE.test(v) ? undefined : 'An image is <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest> (or :<tag>).'),
    },
    { id: 'from', flag: '--from', advanced: true, message: 'Promote the image running in this environment', kind: 'text', default: '', validate: (v) => (v === '' ? undefined : validateEnvName(v)) },
    { id: 'approve', flag: '--approve', advanced: true, message: 'Approve changes to a protected environment without asking', kind: 'confirm', default: false },
    { id: 'force', flag: '--force', advanced: true, message: 'Start a new deployment even when nothing changed (the tasks start again)', kind: 'confirm', default: false },
    { id: 'detach', flag: '--detach', advanced: true, message: 'Leave once the deployment has started (do not watch it)', kind: 'confirm', default: false },
    { id: 'watchMinutes', flag: '--watch-minutes', advanced: true, message: 'How long to watch a deployment before diagnosing it', kind: 'number', default: 15, validate: whole(1, 180) },
    // A new environment: these become its file, slipway/environments/<env>.json. Where tasks run comes
    // first; only the questions for that target follow.
    { id: 'launchType', flag: '--launch-type', when: isNew, message: 'Where should the app run?', kind: 'select', choices: LAUNCH_TYPE_CHOICES, default: 'FARGATE' },
    { id: 'port', flag: '--port', when: isNew, message: 'Port your app listens on in the container', kind: 'number', default: 8080, validate: whole(1, 65535) },
    {
      id: 'healthPath',
      flag: '--health-path',
      when: isNew,
      message: 'Health check path (answers 200 when the app is up)',
      kind: 'text',
      default: '/',
      validate: (v) => (HEALTH_PATH.test(v) && v.length <= 1024 ? undefined : 'A path starting with "/", without spaces, e.g. /health.'),
    },
    { id: 'desiredCount', flag: '--count', when: isNew, message: 'How many copies (tasks) to run', kind: 'number', default: (a) => (isProductionName(String(a.env)) ? 2 : 1), defaultHelp: `2 for ${PRODUCTION_NAMES}, else 1`, validate: whole(1, 100) },
    { id: 'size', flag: '--size', when: isNew, message: 'Task size (CPU/memory)', kind: 'select', choices: SIZE_CHOICES, default: '256/512', validate: validateSize },
    {
      id: 'instanceType',
      flag: '--instance-type',
      when: isNewEc2,
      message: `EC2 instance type for the container instances (${INSTANCE_CHOICES.map((c) => c.value).join(', ')}, …)`,
      kind: 'text',
      default: 't3.micro',
      validate: (v) => (INSTANCE_TYPE.test(v) ? undefined : 'An instance type looks like t3.micro or m7g.large.'),
    },
    { id: 'instances', flag: '--instances', when: isNewEc2, message: 'How many instances to start with', kind: 'number', default: 1, validate: whole(0, 100) },
    { id: 'maxInstances', flag: '--max-instances', when: isNewEc2, message: 'At most how many instances (ECS adds them when tasks need room)', kind: 'number', default: (a) => Math.max(2, Number(a.instances ?? 1)), defaultHelp: 'the larger of 2 and --instances', validate: whole(0, 100) },
    { id: 'minInstances', flag: '--min-instances', when: isNewEc2, advanced: true, message: 'At least how many instances', kind: 'number', default: 0, validate: whole(0, 100) },
    {
      id: 'keyPair',
      flag: '--key-pair',
      when: isNewEc2,
      message: 'EC2 key pair for SSH to the instances (empty: none; `slipway bootstrap` imported "admin")',
      kind: 'text',
      default: '',
      validate: (v) => (v === '' || /^[\x20-\x7E]{1,255}$/.test(v) ? undefined : 'A key pair name is 1–255 printable ASCII characters.'),
    },
    {
      id: 'retentionDays',
      flag: '--log-retention-days',
      when: isNew,
      message: 'Keep logs for how many days',
      kind: 'number',
      default: 30,
      validate: (v) => (LOG_RETENTION_DAYS.includes(Number(v)) ? undefined : `CloudWatch Logs keeps ${LOG_RETENTION_DAYS.slice(0, 12).join(', ')}… days.`),
    },
    { id: 'protected', flag: '--protected', when: isNew, message: 'Protect it (changes need the environment’s name typed to approve)?', kind: 'confirm', default: (a) => isProductionName(String(a.env)), defaultHelp: `yes for ${PRODUCTION_NAMES}` },
  ];
}

export function typedRolloutAnswers(a: Answers): RolloutAnswers {
  return {
    region: String(a.region),
    app: String(a.app),
    env: String(a.env),
    image: String(a.image ?? ''),
    from: String(a.from ?? ''),
    approve: a.approve === true,
    force: a.force === true,
    detach: a.detach === true,
    watchMinutes: Number(a.watchMinutes ?? 15),
    launchType: a.launchType === 'EC2' || a.launchType === 'EXPRESS' ? a.launchType : 'FARGATE',
    port: Number(a.port ?? 8080),
    healthPath: String(a.healthPath ?? '/'),
    desiredCount: Number(a.desiredCount ?? 1),
    size: String(a.size ?? '256/512'),
    retentionDays: Number(a.retentionDays ?? 30),
    protected: a.protected === true,
    instanceType: String(a.instanceType ?? 't3.micro'),
    instances: Number(a.instances ?? 1),
    minInstances: Number(a.minInstances ?? 0),
    maxInstances: Number(a.maxInstances ?? Math.max(2, Number(a.instances ?? 1))),
    keyPair: String(a.keyPair ?? ''),
  };
}
