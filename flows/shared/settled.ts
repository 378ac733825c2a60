import type { Question } from '../../src/engine/types.js';
import { PROJECT_SETTINGS_FILE } from '../../src/local/project-settings.js';
import type { Runtime } from './runtime.js';

/**
 * Marks the region and app questions as settled when the person already chose them — the region of
 * their AWS configuration (or the sandbox's), the app in slipway/project.json — so no flow asks them
 * again. The run says what it took and from where; `--region` / `--app` change it.
 */
export function settleKnown(questions: Question[], runtime: Runtime, project?: { app?: string }): Question[] {
  const region = regionOrigin(runtime);
  return questions.map((q) => {
    if (q.id === 'region' && region) return { ...q, default: runtime.aws.region, settled: region };
    if (q.id === 'app' && project?.app) return { ...q, default: project.app, settled: PROJECT_SETTINGS_FILE };
    return q;
  });
}

function regionOrigin({ aws, sandbox }: Runtime): string | undefined {
  if (!aws.region) return undefined;
  if (sandbox) return 'the sandbox';
  switch (aws.regionSource) {
    case 'profile':
      return `profile ${aws.profile ?? 'default'}`;
    case 'flag':
      return '--region';
    default:
      return aws.regionSource;
  }
}
