import { dirname } from 'node:path';
import { SlipwayError } from '../../src/engine/errors.js';
import { awsConfigPath, awsCredentialsPath, fileMode } from '../../src/local/aws-files.js';
import { validateRegion } from '../../src/aws/settings.js';
import { checkStep } from '../shared/check-step.js';
import type { DoctorContext } from './context.js';
import { platformFix } from './fixes.js';

const MIN_NODE_MAJOR = 20;
/** The AWS SDK for JavaScript v3 announced Node 22 as its minimum from January 2027. */
const SDK_NODE_MAJOR = 22;

export const nodeVersion = checkStep<DoctorContext>('node', 'Node.js version', async (c) => {
  const version = process.versions.node;
  const major = Number(version.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    throw new SlipwayError(`Node.js ${version} is too old; slipway needs ${MIN_NODE_MAJOR} or newer.`, {
      fix: platformFix(c.runtime.platform, { linux: 'Install Node.js 20 LTS or newer (e.g. from nodejs.org or your package manager).', mac: 'brew install node@20' }),
    });
  }
  if (major < SDK_NODE_MAJOR) {
    c.report.log(`AWS SDK releases after January 2027 need Node.js ${SDK_NODE_MAJOR} or newer; plan the upgrade.`, 'warn');
  }
  return { version };
});

export const regionSet = checkStep<DoctorContext>('region', 'Region set', async (c) => {
  const { region, regionSource } = c.runtime.aws;
  if (!region) {
    throw new SlipwayError('No AWS region is set.', {
      why: 'Every AWS call goes to one region; without one, the SDK and the AWS CLI refuse to run.',
      fix: 'Pass --region us-east-1, export AWS_REGION=us-east-1, or add "region = us-east-1" to your profile in ~/.aws/config.',
    });
  }
  const problem = validateRegion(region);
  if (problem) throw new SlipwayError(problem, { fix: 'Use a region name such as us-east-1 (see the AWS console’s region menu).' });
  return { region, source: regionSource ?? 'unknown' };
});

export const awsFileModes = checkStep<DoctorContext>('aws-files', 'Modes of the ~/.aws files', async (c) => {
  const files = [awsConfigPath(c.runtime.env), awsCredentialsPath(c.runtime.env)].map(fileMode);
  const folder = fileMode(dirname(awsCredentialsPath(c.runtime.env)));
  const open = files.filter((f) => f.exists && f.tooOpen);
  if (open.length > 0) {
    const paths = open.map((f) => `${f.path} (${f.mode?.toString(8)})`).join(', ');
    throw new SlipwayError(`Other users on this machine can read ${paths}.`, {
      why: 'These files hold access keys and role settings; they should be readable by you alone.',
      fix: `chmod 600 ${open.map((f) => f.path).join(' ')}${folder.tooOpen ? ` && chmod 700 ${folder.path}` : ''}`,
    });
  }
  if (folder.exists && folder.tooOpen) c.report.log(`${folder.path} is ${folder.mode?.toString(8)}; 700 is safer (chmod 700 ${folder.path}).`, 'warn');
  const described = files.map((f) => (f.exists ? `${f.path} ${f.mode?.toString(8)}` : `${f.path} (none)`));
  return { files: described.join(', ') };
});
