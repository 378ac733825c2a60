import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SlipwayError } from '../../../src/engine/errors.js';
import { attachSandbox } from '../../../src/sandbox/attach.js';
import { execFlow } from '../../../flows/exec/index.js';
import { missingExecActions, execPolicyDocument } from '../../../flows/exec/policy.js';
import { findOnPath, pluginMissing } from '../../../flows/exec/plugin.js';
import { pluginCheck, session } from '../../../flows/exec/steps/session.js';
import { rolloutNames } from '../../../flows/rollout/names.js';
import type { RolloutContext } from '../../../flows/rollout/context.js';
import { DEV, runRollout, useRolloutWorlds } from '../rollout/harness.js';
import { runDay2 } from '../run/day2-harness.js';
import { NonInteractivePrompter } from '../../../src/console/ci-prompter.js';

const world = useRolloutWorlds();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'slipway-exec-plugin-'));
  dirs.push(d);
  return d;
};

describe('the Session Manager plugin', () => {
  it('missing from PATH: a clear failure (exit 1, a step failed — the command line was right) with the Linux and macOS installs', async () => {
    const c = { runtime: { env: { PATH: tempDir() }, platform: 'linux' }, report: { log() {} } } as unknown as RolloutContext;
    const error = await pluginCheck.probe(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlipwayError);
    expect((error as Error).name).toBe('SlipwayError'); // not a UsageError: slipway exits 1, not 2
    const { message, fix } = error as SlipwayError;
    expect(message).toMatch(/session-manager-plugin is not on your PATH/);
    expect(fix).toContain('https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb');
    expect(fix).toContain('sudo dpkg -i session-manager-plugin.deb');
    expect(fix).toContain('sudo yum install -y https://s3.amazonaws.com/session-manager-downloads/plugin/latest/linux_64bit/session-manager-plugin.rpm');
    expect(fix).toContain('brew install --cask session-manager-plugin');
    expect(pluginMissing('darwin').fix?.split('\n')[1]).toMatch(/^macOS: brew install --cask session-manager-plugin/);
    const dir = tempDir();
    writeFileSync(join(dir, 'session-manager-plugin'), '#!/bin/sh\n');
    chmodSync(join(dir, 'session-manager-plugin'), 0o755);
    expect(findOnPath('session-manager-plugin', { PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'session-manager-plugin'));
  });

  it('is run as the AWS CLI runs it: session JSON, region, StartSession, profile, {"Target":"ecs:<cluster>_<task>_<runtime id>"}, endpoint; slipway hands on its exit code', async () => {
    const w = await world();
    await runRollout(w, new NonInteractivePrompter());
    // ECS Exec on, through the flow (its sandbox session fails for want of the image: no matter here).
    const enabled = await runDay2(execFlow(w.runtime), w, { ...DEV, enable: true, command: '["true"]' });
    expect(enabled.how['exec-agent']).toBeDefined();
    const pick = enabled.result.outputs['pick-task']!;
    const dir = tempDir();
    const argsFile = join(dir, 'args');
    writeFileSync(join(dir, 'session-manager-plugin'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\nexit 5\n`);
    chmodSync(join(dir, 'session-manager-plugin'), 0o755);
    const ecs = attachSandbox(new ECSClient({ region: 'us-east-1', credentials: w.sandbox.adminCredentials() }), w.sandbox);
    const outputs: Record<string, Record<string, unknown>> = { 'pick-task': pick, 'exec-state': { container: 'app' } };
    const c = {
      runtime: { env: { PATH: `${dir}:${process.env.PATH}` }, platform: 'linux', aws: { region: 'us-east-1', profile: 'admin' } },
      settings: { region: 'us-east-1', env: 'dev', app: 'todo' },
      names: rolloutNames('todo', 'dev'),
      answers: { command: '["/bin/sh"]' },
      ecs: async () => ecs,
      output: (step: string, key: string) => outputs[step]![key],
      account: () => w.sandbox.accountId,
      report: { log() {}, progress() {} },
      signal: new AbortController().signal,
    } as unknown as RolloutContext;
    const out = await session.apply(c);
    expect(out.exitCode).toBe(5);
    const [sessionJson, region, action, profile, params, endpoint] = readFileSync(argsFile, 'utf8').trimEnd().split('\n');
    const recorded = w.sandbox.snapshot().ecs!.execSessions!.at(-1)!;
    expect(JSON.parse(sessionJson!)).toMatchObject({ sessionId: recorded.sessionId, streamUrl: expect.stringMatching(/^wss:\/\/ssmmessages\.us-east-1\.amazonaws\.com\//), tokenValue: expect.any(String) });
    expect([region, action, profile, endpoint]).toEqual(['us-east-1', 'StartSession', 'admin', 'https://ecs.us-east-1.amazonaws.com']);
    expect(JSON.parse(params!)).toEqual({ Target: `ecs:todo-dev_${String(pick.taskId)}_${String(pick.runtimeId)}` });
    expect(recorded).toMatchObject({ taskArn: pick.taskArn, container: 'app', command: '/bin/sh', interactive: true });
    expect(out).not.toHaveProperty('tokenValue');
  });
});

describe('the task role’s permissions', () => {
  it('counts the four ssmmessages actions, wildcards and denials', () => {
    expect(missingExecActions([execPolicyDocument()])).toEqual([]);
    expect(missingExecActions([encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*' }] }))])).toEqual([]);
    expect(missingExecActions([JSON.stringify({ Statement: { Effect: 'Allow', Action: ['ssmmessages:Create*'], Resource: '*' } })])).toEqual(['ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']);
    expect(missingExecActions([execPolicyDocument(), JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'ssmmessages:OpenDataChannel', Resource: '*' }] })])).toEqual(['ssmmessages:OpenDataChannel']);
    expect(missingExecActions([])).toHaveLength(4);
  });
});
