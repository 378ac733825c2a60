import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNamedProfile } from '../../src/aws/profile-check.js';
import { UsageError } from '../../src/engine/errors.js';
import { checkStateDirWritable } from '../../src/engine/state-check.js';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-checks-'));
  made.push(d);
  return d;
}

describe('checkStateDirWritable', () => {
  it('accepts a state folder that does not exist yet under a writable parent, creating nothing', () => {
    const d = dir();
    checkStateDirWritable({ XDG_STATE_HOME: join(d, 'state') });
    expect(readdirSync(d)).toEqual([]);
  });

  it('refuses a state "folder" that is a file, naming it and the variable', () => {
    const d = dir();
    writeFileSync(join(d, 'state'), 'x');
    expect(() => checkStateDirWritable({ XDG_STATE_HOME: join(d, 'state') })).toThrow(UsageError);
    expect(() => checkStateDirWritable({ XDG_STATE_HOME: join(d, 'state') })).toThrow(/cannot keep its state/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a state folder it cannot write to', () => {
    const d = dir();
    mkdirSync(join(d, 'ro'));
    chmodSync(join(d, 'ro'), 0o500);
    expect(() => checkStateDirWritable({ XDG_STATE_HOME: join(d, 'ro') })).toThrow(/not writable/);
  });
});

describe('checkNamedProfile', () => {
  const env = (d: string) => ({ HOME: d, AWS_CONFIG_FILE: join(d, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials') });

  it('accepts a profile in either file', () => {
    const d = dir();
    writeFileSync(join(d, 'config'), '[profile acme]\nregion = eu-west-1\n');
    writeFileSync(join(d, 'credentials'), '[starter]\naws_access_key_id = AKIA\n');
    expect(() => checkNamedProfile('acme', env(d))).not.toThrow();
    expect(() => checkNamedProfile('starter', env(d))).not.toThrow();
  });

  it('names the file and line of a broken section header', () => {
    const d = dir();
    writeFileSync(join(d, 'config'), '# mine\n[profile acme\nregion = eu-west-1\n');
    const error = (() => {
      try {
        checkNamedProfile('acme', env(d));
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error?.why).toContain(`${join(d, 'config')} line 2 is not a section header: "[profile acme"`);
  });

  it('says plainly when there is no such profile', () => {
    const d = dir();
    expect(() => checkNamedProfile('nosuch', env(d))).toThrow(/no such profile/);
  });
});
