import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../engine/errors.js';
import { home } from '../engine/paths.js';
import { configSectionName, parseIni } from '../local/ini.js';

/**
 * A profile named on the command line must be in `~/.aws/config` or `~/.aws/credentials`. The SDK
 * silently skips a line it cannot read (`[profile acme` without its `]`) and then reports "no
 * credentials", which sends a newcomer looking in the wrong place: here the file and line are named.
 */
export function checkNamedProfile(profile: string, env: NodeJS.ProcessEnv): void {
  const files = [
    { path: env.AWS_CONFIG_FILE || join(home(env), '.aws', 'config'), section: configSectionName(profile) },
    { path: env.AWS_SHARED_CREDENTIALS_FILE || join(home(env), '.aws', 'credentials'), section: profile },
  ];
  const broken: string[] = [];
  for (const { path, section } of files) {
    const text = readIfThere(path);
    if (text === undefined) continue;
    if (parseIni(text).has(section)) return;
    text.split(/\r?\n/).forEach((line, i) => {
      if (/^\s*\[/.test(line) && !/^\s*\[[^\]]+\]\s*([#;].*)?$/.test(line)) broken.push(`${path} line ${i + 1} is not a section header: ${JSON.stringify(line.trim())}`);
    });
  }
  if (broken.length > 0) {
    throw new UsageError(`--profile ${profile}: the profile cannot be read.`, { why: `${broken.join('; ')}.`, fix: `Close the bracket (e.g. [${configSectionName(profile)}]) in that file, then run this again.` });
  }
  throw new UsageError(`--profile ${profile}: there is no such profile.`, {
    why: `Neither ${files[0]!.path} ([${files[0]!.section}]) nor ${files[1]!.path} ([${files[1]!.section}]) has it.`,
    fix: 'Check the name (aws configure list-profiles), or create it with `slipway bootstrap` or `aws configure --profile <name>`.',
  });
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
