import { basename } from 'node:path';
import { validateRegion } from '../../src/aws/settings.js';
import type { Answers, Question } from '../../src/engine/types.js';

export interface PublishAnswers {
  region: string;
  app: string;
  namespace: string;
  keepImages: number;
  platform: string;
  skipTests: boolean;
  allowDirty: boolean;
  file: string;
  target: string;
  testTarget: string;
  cleanup: boolean;
}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const nameCheck = (what: string) => (v: string) =>
  NAME.test(v) && v.length <= 128 ? undefined : `A ${what} is lowercase letters and digits, with single . _ - between them (ECR's rule).`;

/** Defaults come from the project settings file (asked once, remembered) or the folder's name. */
export function publishQuestions(defaults: { region?: string; app?: string; namespace?: string; keepImages?: number; cwd?: string }): Question[] {
  const folder = basename(defaults.cwd ?? process.cwd()).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return [
    { id: 'region', flag: '--region', message: 'Region of the ECR registry', kind: 'text', default: defaults.region ?? 'us-east-1', validate: validateRegion },
    { id: 'app', flag: '--app', message: 'Application name', kind: 'text', default: defaults.app ?? (folder || undefined), defaultHelp: 'the app in slipway/project.json, else this folder’s name', validate: nameCheck('application name') },
    { id: 'namespace', flag: '--namespace', message: 'Repository namespace (the repository is <namespace>/<app>)', kind: 'text', default: defaults.namespace ?? 'apps', validate: nameCheck('namespace') },
    {
      id: 'keepImages',
      flag: '--keep-images',
      message: 'How many tagged images to keep in ECR',
      kind: 'number',
      default: defaults.keepImages ?? 30,
      validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'A whole number from 1 to 1000.'),
    },
    {
      id: 'platform',
      flag: '--platform',
      advanced: true,
      message: 'Platform to build for',
      kind: 'text',
      default: 'linux/amd64',
      validate: (v) => (/^linux\/(amd64|arm64)$/.test(v) ? undefined : 'linux/amd64 (Fargate x86, most ECS hosts) or linux/arm64 (Graviton).'),
    },
    { id: 'skipTests', flag: '--skip-tests', message: 'Skip the test stage?', kind: 'confirm', default: false, advanced: true },
    { id: 'allowDirty', flag: '--allow-dirty', message: 'Publish uncommitted changes (tagged -dirty)?', kind: 'confirm', default: false, advanced: true },
    { id: 'file', flag: '--file', message: 'Dockerfile', kind: 'text', default: '', defaultHelp: 'the one in this folder (asked when there are several)', advanced: true },
    { id: 'target', flag: '--target', message: 'Release stage (default: the last)', kind: 'text', default: '', advanced: true },
    { id: 'testTarget', flag: '--test-target', message: 'Test stage (default: "test" when there is one)', kind: 'text', default: '', advanced: true },
    { id: 'cleanup', flag: '--cleanup', message: 'Log out of the registry and remove dangling images of this app afterwards?', kind: 'confirm', default: true },
  ];
}

export function typedPublishAnswers(a: Answers): PublishAnswers {
  return {
    region: String(a.region),
    app: String(a.app),
    namespace: String(a.namespace),
    keepImages: Number(a.keepImages),
    platform: String(a.platform),
    skipTests: Boolean(a.skipTests),
    allowDirty: Boolean(a.allowDirty),
    file: String(a.file ?? ''),
    target: String(a.target ?? ''),
    testTarget: String(a.testTarget ?? ''),
    cleanup: Boolean(a.cleanup),
  };
}
