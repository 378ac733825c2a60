/**
 * Reads the sections of an AWS-style INI file (`~/.aws/config`, `~/.aws/credentials`). Read-only:
 * later sections with the same name merge into earlier ones, as the AWS CLI does.
 */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header?.[1]) {
      const name = header[1].replace(/\s+/g, ' ');
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair?.[1] && current && !/^\s/.test(raw)) current[pair[1].toLowerCase()] = pair[2] ?? '';
  }
  return sections;
}

/** In `~/.aws/config` every profile but `default` is written `[profile name]`. */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}
