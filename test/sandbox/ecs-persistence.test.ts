import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/aws/clients.js';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/store.js';
import { T0 } from './support.js';
import { CLUSTER, createService, describeService, ecsWorld, REGION, register, serviceTasks } from './ecs-world.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ecs-'));
  dirs.push(dir);
  return join(dir, 'sandbox.json');
}

function ecsOn(sandbox: Sandbox): ECSClient {
  return attachSandbox(new ECSClient(clientConfig({ region: REGION }, async () => sandbox.adminCredentials())), sandbox);
}

describe('ECS progress is part of the saved account', () => {
  it('a reopened file-backed sandbox carries the deployment on from the file, and a read that moved it saves it', async () => {
    const file = tempFile();
    const world = await ecsWorld({ file });
    await createService(world, await register(world));
    world.advance(2);

    // Another process opens the same account: its first read moves the deployment to sandbox time.
    const reopened = createSandbox({ file, now: () => T0 });
    const ecs = ecsOn(reopened);
    const read = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['app-dev-service'] }))).services![0]!;
    expect((await read()).pendingCount).toBe(1);
    const saved = createSandbox({ file, now: () => T0 }).snapshot();
    expect(Object.values(saved.ecs!.tasks![REGION]!).map((t) => t.lastStatus)).toEqual(['ACTIVATING']);

    reopened.clock.advance(1000);
    expect((await read()).deployments![0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 1 });
    // The first sandbox object sees the same account.
    expect((await describeService(world)).runningCount).toBe(1);

    // Nothing due: a read neither copies nor rewrites the account.
    const before = statSync(file);
    await read();
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('a seeded sandbox reproduces task and deployment ids', async () => {
    const ids = async () => {
      const world = await ecsWorld({ seed: 'screenshots' });
      await createService(world, await register(world));
      world.advance(5);
      const service = await describeService(world);
      return { deployment: service.deployments![0]!.id, tasks: (await serviceTasks(world, 'RUNNING')).map((t) => [t.taskArn, t.attachments![0]!.details]) };
    };
    const first = await ids();
    expect(await ids()).toEqual(first);
    expect(first.tasks).toHaveLength(1);
  });

  it('a long absence is caught up event by event (an hour of a crash loop without the breaker is bounded)', async () => {
    const world = await ecsWorld();
    world.sandbox.update((state) => {
      state.scenario = 'crash-loop';
    });
    await createService(world, await register(world), { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 } });
    world.advance(24 * 3600);
    const service = await describeService(world);
    expect(service.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    // Stopped tasks older than an hour are forgotten; throttled relaunches leave only a few.
    const stopped = await serviceTasks(world, 'STOPPED');
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.length).toBeLessThanOrEqual(13);
    expect(service.events!.length).toBeLessThanOrEqual(100);
  });
});
