import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCredentialsFound, NO_CREDENTIALS_REASON } from '../../src/cli/home-sandbox.js';
import { useTempHomes } from '../support/temp-home.js';

const BIN = join(process.cwd(), 'dist', 'slipway.js');
const home = useTempHomes();

describe('are there AWS credentials on this machine? (the home screen’s cheap guess)', () => {
  it('none: no variables, no ~/.aws files, or files without a profile', () => {
    const { env, home: dir } = home();
    expect(awsCredentialsFound(env)).toBe(false);
    mkdirSync(join(dir, '.aws'));
    writeFileSync(join(dir, '.aws', 'config'), '# nothing here yet\n');
    writeFileSync(join(dir, '.aws', 'credentials'), '');
    expect(awsCredentialsFound(env)).toBe(false);
  });

  it.each([
    ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE'],
    ['AWS_PROFILE', 'dev'],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/token'],
  ])('%s in the environment', (name, value) => {
    const { env } = home();
    expect(awsCredentialsFound({ ...env, [name]: value })).toBe(true);
  });

  it('a profile in ~/.aws/credentials or ~/.aws/config (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE honoured), or --profile', () => {
    const { env, home: dir } = home();
    mkdirSync(join(dir, '.aws'));
    writeFileSync(join(dir, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIA\n');
    expect(awsCredentialsFound(env)).toBe(true);
    const elsewhere = join(dir, 'elsewhere');
    writeFileSync(elsewhere, '  [profile work]\nregion = eu-west-1\n');
    expect(awsCredentialsFound({ ...env, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing'), AWS_CONFIG_FILE: elsewhere })).toBe(true);
    expect(awsCredentialsFound({ ...env, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing'), AWS_CONFIG_FILE: join(dir, 'missing') })).toBe(false);
    expect(awsCredentialsFound({ ...env, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing') }, 'given')).toBe(true);
  });
});

describe('the home listing without a terminal', () => {
  async function slipway(args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout };
  }

  it('says there are no credentials and how to rehearse; with credentials only how to rehearse', async () => {
    const { env } = home();
    const none = await slipway([], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(NO_CREDENTIALS_REASON);
    expect(none.stdout).toMatch(/^ {2}slipway <flow> --sandbox {3}every flow against a simulated AWS account/m);
    const some = await slipway([], { ...env, AWS_PROFILE: 'dev' });
    expect(some.stdout).not.toContain(NO_CREDENTIALS_REASON);
    expect(some.stdout).toContain('slipway <flow> --sandbox');
    expect((await slipway(['--sandbox'], env)).stdout).not.toContain('--sandbox');
  });
});
