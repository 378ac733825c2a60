import { describe, expect, it } from 'vitest';
import { diagnose, type Evidence } from '../../../flows/rollout/diagnosis/index.js';
import { insufficientResources, noContainerInstances, type CapacityEvidence, type Ec2Evidence } from '../../../flows/rollout/diagnosis/rules.js';

const settings: Evidence['settings'] = {
  containerPort: 8080,
  healthCheckPath: '/',
  healthCheckGracePeriodSeconds: 60,
  cpuArchitecture: 'X86_64',
  cpu: 256,
  memory: 512,
  executionRole: 'todo-dev-ecs-execution',
  logGroup: '/slipway/todo/dev',
};

const NO_INSTANCES = '(service todo-dev) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const NO_MEMORY = '(service todo-dev) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const NO_CPU = '(service todo-dev) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e) has insufficient CPU units available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

function evidence(over: Partial<Ec2Evidence>): Ec2Evidence {
  return { stoppedTasks: [], events: [], targetHealth: [], logLines: [], settings, ...over };
}
const group = (over: Partial<NonNullable<CapacityEvidence['group']>> = {}) => ({ name: 'todo-dev', desiredCapacity: 1, minSize: 0, maxSize: 2, inService: 1, instanceType: 't3.micro', ...over });
const capacity = (over: Partial<CapacityEvidence> = {}): CapacityEvidence => ({ cluster: 'todo-dev', registered: 0, connected: 0, group: group(), ...over });

describe('noContainerInstances (troubleshooting.md §3.2: nothing registered)', () => {
  const cases: [string, Partial<Ec2Evidence>, RegExp, RegExp][] = [
    ['an Auto Scaling group at desired 0', { events: [NO_INSTANCES], capacity: capacity({ group: group({ desiredCapacity: 0, inService: 0 }) }) }, /wants 0 instances/, /"ec2.desiredCapacity"/],
    ['a group that may run nothing (max 0)', { events: [NO_INSTANCES], capacity: capacity({ group: group({ desiredCapacity: 0, maxSize: 0, inService: 0 }) }) }, /maxSize 0/, /Raise "ec2.maxSize"/],
    ['instances running whose agent never joined', { events: [NO_INSTANCES], capacity: capacity({ group: group({ inService: 2, desiredCapacity: 2 }) }) }, /no ECS agent joined todo-dev/, /51678\/v1\/metadata/],
    ['launches EC2 refuses (a missing key pair)', { events: [NO_INSTANCES], capacity: capacity({ launchFailure: "The key pair 'admin' does not exist. Launching EC2 instance failed.", group: group({ inService: 0 }) }) }, /cannot launch the instances: The key pair 'admin'/, /"ec2.keyPair"/],
    ['a fresh instance profile', { events: [NO_INSTANCES], capacity: capacity({ launchFailure: 'Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name.', group: group({ inService: 0 }) }) }, /Invalid IAM Instance Profile/, /wait a minute/],
    ['instances still starting', { events: [NO_INSTANCES], capacity: capacity({ group: group({ inService: 0 }) }) }, /no instance in service yet/, /again in a few minutes/],
    ['the event alone (no capacity evidence)', { events: [NO_INSTANCES] }, /Auto Scaling group is at 0 or failing to launch/, /scaling activities/],
  ];
  for (const [name, over, why, fix] of cases) {
    it(name, () => {
      const found = noContainerInstances(evidence(over))!;
      expect(found.title).toBe('No EC2 container instances are registered in the cluster');
      expect(found.why).toMatch(why);
      expect(found.fix).toMatch(fix);
      expect(found.evidence[0]).toContain('No Container Instances were found');
      // diagnose() reaches it before the general placement rule.
      expect(diagnose(evidence(over))).toMatchObject({ cause: 'no-capacity', title: found.title });
    });
  }

  it('placement failures with no instance registered count even when ECS words them differently', () => {
    const found = noContainerInstances(evidence({ events: ['(service todo-dev) was unable to place a task because no container instance met all of its requirements.'], capacity: capacity({ group: group({ desiredCapacity: 0, inService: 0 }) }) }));
    expect(found?.why).toMatch(/wants 0 instances/);
  });

  it('does not apply to Fargate placement failures or to healthy capacity', () => {
    expect(noContainerInstances(evidence({ events: ['(service todo-dev) was unable to place a task. Reason: Capacity is unavailable at this time.'] }))).toBeUndefined();
    expect(noContainerInstances(evidence({ events: [NO_MEMORY], capacity: capacity({ registered: 1, connected: 1 }) }))).toBeUndefined();
    // An early "no instances" event, from before the instances joined, does not outweigh what is there now.
    expect(diagnose(evidence({ events: [NO_MEMORY, NO_INSTANCES], capacity: capacity({ registered: 1, connected: 1 }) })).title).toMatch(/too little memory/);
    // The Fargate rule keeps its event (diagnosis.test.ts): no EC2 reason, no capacity evidence.
    expect(diagnose(evidence({ events: ['(service todo-dev) was unable to place a task because no container instance met all of its requirements.'] })).fix).toMatch(/quota/);
  });
});

describe('insufficientResources (troubleshooting.md §3.2: insufficient memory/CPU)', () => {
  it('memory: says what a task reserves, what the roomiest instance has, and the three ways out', () => {
    const found = insufficientResources(evidence({ events: [NO_MEMORY], capacity: capacity({ registered: 1, connected: 1, largestFree: { cpu: 1792, memory: 430 } }) }))!;
    expect(found.title).toBe('The EC2 instances have too little memory free for another task');
    expect(found.why).toBe('Each task reserves 512 MiB on an instance; the roomiest t3.micro has 430 MiB free. A rolling deployment needs room for the new tasks beside the old ones.');
    expect(found.fix).toMatch(/larger "ec2.instanceType".*"ec2.maxSize".*less "memory"/);
    expect(found.evidence[0]).toContain('has insufficient memory available');
    expect(diagnose(evidence({ events: [NO_MEMORY] }))).toMatchObject({ cause: 'no-capacity', title: found.title });
  });

  it('CPU units', () => {
    const found = insufficientResources(evidence({ events: [NO_CPU] }))!;
    expect(found.title).toMatch(/too little CPU free/);
    expect(found.why).toMatch(/^Each task reserves 256 CPU units on an instance\./);
    expect(found.fix).toMatch(/less "cpu"/);
  });

  it('does not apply without ECS’s reason', () => {
    expect(insufficientResources(evidence({ events: [NO_INSTANCES] }))).toBeUndefined();
    expect(insufficientResources(evidence({}))).toBeUndefined();
  });
});
