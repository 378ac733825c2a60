/**
 * Which Node.js versions slipway supports: one place, read by `slipway doctor`, the start-up notice
 * (bin/slipway.ts) and a test that holds package.json's `engines` to it.
 *
 * The floor is what the AWS SDK for JavaScript v3 requires from its releases after the first week of
 * January 2027 (Node 22); Node 20 reached its end of life on 2026-04-30.
 */
export const MIN_NODE_MAJOR = 22;

/** The end of life of each even (LTS) release line, from the Node.js release schedule. */
const END_OF_LIFE: Record<number, string> = { 18: '2025-04-30', 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

export interface NodeSupport {
  version: string;
  major: number;
  supported: boolean;
  /** The release line's end of life (YYYY-MM-DD), when known. */
  endOfLife?: string;
  pastEndOfLife: boolean;
}

export function nodeSupport(version: string, today: Date = new Date()): NodeSupport {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  const endOfLife = END_OF_LIFE[major];
  return { version: version.replace(/^v/, ''), major, supported: major >= MIN_NODE_MAJOR, endOfLife, pastEndOfLife: endOfLife !== undefined && endOfLife < today.toISOString().slice(0, 10) };
}

/** How to get a supported Node.js, per platform. */
export const NODE_UPGRADE = {
  linux: 'Install Node.js 24 LTS: from nodejs.org, your package manager (NodeSource), or `nvm install 24`.',
  mac: 'brew install node@24 (or `nvm install 24`)',
} as const;

/** One line for a Node.js slipway does not support, or undefined when it does. */
export function unsupportedNodeNotice(support: NodeSupport): string | undefined {
  if (support.supported) return undefined;
  const ended = support.pastEndOfLife ? ` reached its end of life on ${support.endOfLife} and` : '';
  return `Node.js ${support.version}${ended} is older than slipway supports (${MIN_NODE_MAJOR} or newer; the AWS SDK requires ${MIN_NODE_MAJOR} from January 2027). It may still run for now; \`slipway doctor\` says how to upgrade.`;
}
