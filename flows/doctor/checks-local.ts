import { dirname } from 'node:path';
import { SlipwayError } from '../../src/engine/errors.js';
import { awsConfigPath, awsCredentialsPath, fileMode } from '../../src/local/aws-files.js';
import { validateRegion } from '../../src/aws/settings.js';
import { checkStep } from '../shared/check-step.js';
import type { DoctorContext } from './context.js';
import { platformFix } from './fixes.js';
import { MIN_NODE_MAJOR, NODE_UPGRADE, nodeSupport, unsupportedNodeNotice } from '../../src/cli/node-support.js';

export const nodeVersion = checkStep<DoctorContext>('node', 'Node.js version', async (c) => {
  const support = nodeSupport(process.versions.node);
  if (!support.supported) {
    throw new SlipwayError(unsupportedNodeNotice(support) ?? '', {
      why: 'slipway and the AWS SDK it uses are built and tested for the supported Node.js releases; an older one gets no security fixes.',
      fix: platformFix(c.runtime.platform, NODE_UPGRADE),
    });
  }
  if (support.pastEndOfLife) c.report.log(`Node.js ${support.major} reached its end of life on ${support.endOfLife}: no more security fixes. ${platformFix(c.runtime.platform, NODE_UPGRADE)}`, 'warn');
  return { version: support.version, supported: `${MIN_NODE_MAJOR} or newer`, ...(support.endOfLife ? { endOfLife: support.endOfLife } : {}) };
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
