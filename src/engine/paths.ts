import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_STATE_HOME/slipway`, or `~/.local/state/slipway` (the XDG default). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home(env), '.local', 'state');
  return join(base, 'slipway');
}

export function journalsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'runs');
}

export function home(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || homedir();
}
