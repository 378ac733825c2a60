import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { SlipwayError } from '../../src/engine/errors.js';

/** AWS's Session Manager plugin: what the AWS CLI hands an ECS Exec session to. */
export const PLUGIN = 'session-manager-plugin';

/** The plugin's path on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * How to install the plugin, from AWS's "Install the Session Manager plugin for the AWS CLI"
 * (Systems Manager user guide): the deb or rpm from AWS's S3 downloads on Linux (arm64 has its own
 * folders), Homebrew's cask or AWS's signed pkg on macOS.
 */
export function pluginMissing(platform: NodeJS.Platform): SlipwayError {
  const linux = [
    'Debian/Ubuntu: curl "https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb" -o session-manager-plugin.deb && sudo dpkg -i session-manager-plugin.deb',
    'Amazon Linux/RHEL/Fedora: sudo yum install -y https://s3.amazonaws.com/session-manager-downloads/plugin/latest/linux_64bit/session-manager-plugin.rpm',
    '(on arm64: ubuntu_arm64 and linux_arm64 instead of ubuntu_64bit and linux_64bit)',
  ];
  const mac = [
    'macOS: brew install --cask session-manager-plugin',
    '  or AWS’s installer: curl "https://s3.amazonaws.com/session-manager-downloads/plugin/latest/mac_arm64/session-manager-plugin.pkg" -o session-manager-plugin.pkg && sudo installer -pkg session-manager-plugin.pkg -target / && sudo ln -s /usr/local/sessionmanagerplugin/bin/session-manager-plugin /usr/local/bin/session-manager-plugin (mac_arm64 on Apple silicon, mac on Intel)',
  ];
  const first = platform === 'darwin' ? [...mac, ...linux] : [...linux, ...mac];
  return new SlipwayError(`${PLUGIN} is not on your PATH: ECS Exec sessions need AWS’s Session Manager plugin.`, {
    why: 'ECS answers ExecuteCommand with a Session Manager session; the plugin connects this terminal to it (as `aws ecs execute-command` does).',
    fix: `Install it, then run slipway exec again (check with \`${PLUGIN} --version\`):\n${first.join('\n')}\nDocs: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html`,
  });
}

/**
 * Runs a program with the terminal handed over (stdin, stdout and stderr inherited) and resolves with
 * its exit code. While it runs, Ctrl-C, Ctrl-\ and Ctrl-Z are the program's (the AWS CLI ignores them
 * around the plugin the same way): slipway neither cancels nor stops. SIGTERM to slipway ends it.
 */
export async function handOver(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; signal: AbortSignal }): Promise<number> {
  const ignored = ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const;
  const saved = ignored.map((s) => [s, process.listeners(s)] as const);
  const ignore = () => {};
  for (const [s] of saved) {
    process.removeAllListeners(s);
    process.on(s, ignore);
  }
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'inherit', env: options.env ?? process.env });
      const stop = () => child.kill('SIGTERM');
      options.signal.addEventListener('abort', stop, { once: true });
      child.on('error', (error) => {
        options.signal.removeEventListener('abort', stop);
        reject(error);
      });
      child.on('close', (code, signal) => {
        options.signal.removeEventListener('abort', stop);
        resolve(code ?? (signal ? 128 + (signalNumber[signal] ?? 15) : 1));
      });
    });
  } finally {
    for (const [s, listeners] of saved) {
      process.off(s, ignore);
      for (const l of listeners) process.on(s, l as () => void);
    }
  }
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
