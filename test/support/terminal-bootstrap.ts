import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Terminal } from '../e2e/terminal.js';
import { totpAtStep, totpStep } from '../../src/sandbox/totp.js';
import { ROOT } from './moto-aws.js';

/** Every bootstrap answer as a flag: only the MFA device (QR code, codes) is left for the person. */
export const BOOTSTRAP_ANSWERS = ['--region', 'us-east-1', '--user-name', 'alice', '--profile-name', 'acme', '--account-alias', 'acme-moto', '--role-name', 'admin', '--admin-group', 'Administrators', '--users-group', 'Users', '--console-password', 'yes', '--key-pair', 'admin'];

/**
 * `slipway bootstrap` in the full-screen wizard, in a tmux terminal, played like a person: the
 * one-time password panel is acknowledged, the seed is read off the QR screen (as it would be typed
 * into an authenticator app) and every code is a real TOTP code from it, a new one each time; a code
 * for the *starting* role + MFA profile (asked before the seed exists) is `startCode`.
 */
export async function bootstrapInTerminal(options: { env: NodeJS.ProcessEnv; args: string[]; cwd: string; startCode?: string; timeoutMs?: number }) {
  const term = new Terminal(`slipway-moto-boot-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, 'boot');
  const envFile = join(options.cwd, '.slipway-env.sh');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const env: NodeJS.ProcessEnv = { ...options.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  delete env.CI; // a person at a terminal
  delete env.SLIPWAY_MFA_CODE;
  writeFileSync(envFile, Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `export ${k}=${quote(String(v))}`).join('\n') + '\n');
  const stderrFile = join(options.cwd, '.slipway-stderr');
  term.start(120, 40);
  let seed = '';
  let lastStep = -Infinity;
  const nextCode = () => {
    lastStep = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
    return totpAtStep(seed, lastStep);
  };
  try {
    term.type(`cd ${quote(options.cwd)} && env -i bash --norc --noprofile -c ${quote(`source ${envFile} && exec ${process.execPath} ${join(ROOT, 'dist', 'slipway.js')} bootstrap ${options.args.map(quote).join(' ')} 2>${stderrFile}`)}; echo EXIT=$?`);
    const answered = new Set<string>();
    let finalScreen = '';
    let last = '';
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    while (Date.now() < deadline) {
      const screen = term.screen();
      last = screen;
      const exit = /EXIT=(\d+)/.exec(screen);
      if (exit) return { exit: Number(exit[1]), screen: finalScreen || screen, history: term.history(), seed, stderr: readFileSync(stderrFile, 'utf8') };
      const once = (what: string, act: () => void) => {
        if (answered.has(what)) return false;
        answered.add(what);
        act();
        return true;
      };
      if (/Done in|A step failed|failed:/.test(screen) && once('end', () => (finalScreen = screen))) term.keys('q');
      else if (screen.includes('One-time console password for')) once('password', () => term.keys('Enter'));
      else if (screen.includes('Enter this key by hand')) {
        once('qr', () => {
          seed = /Enter this key by hand:\s*\n\s*([A-Z2-7 ]+)/.exec(screen)?.[1]?.replace(/\s/g, '') ?? '';
          if (!/^[A-Z2-7]{16,}$/.test(seed)) throw new Error(`no seed on the QR screen:\n${screen}`);
          term.keys('Enter');
        });
      } else {
        const ask = ['First code from the app', 'Wait for the next code', 'A new code from the app', 'MFA code for'].find((q) => screen.includes(q) && !answered.has(q));
        if (ask) {
          answered.add(ask);
          term.type(ask === 'MFA code for' && !seed ? (options.startCode ?? '123456') : nextCode());
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`bootstrap did not finish; screen:\n${last}`);
  } finally {
    term.stop();
  }
}
