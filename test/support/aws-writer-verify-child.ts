// A child process for `npm run verify`: writes profile `verify` into the ~/.aws files under HOME again
// and again, alternating two sets of values, until it is SIGKILLed at a random moment.
import { writeAwsProfile } from '../../src/local/aws-profile-files.js';

const [home = ''] = process.argv.slice(2);
const env: NodeJS.ProcessEnv = { HOME: home, AWS_CONFIG_FILE: `${home}/.aws/config`, AWS_SHARED_CREDENTIALS_FILE: `${home}/.aws/credentials` };
const sets = [
  { config: { region: 'eu-west-1', output: 'json' }, credentials: { accessKeyId: 'AKIAVERIFYAAAAAAAAAA', secretAccessKey: 'verifyAsecretverifyAsecretverifyAsecret1' } },
  { config: { region: 'ap-south-1', output: 'text' }, credentials: { accessKeyId: 'AKIAVERIFYBBBBBBBBBB', secretAccessKey: 'verifyBsecretverifyBsecretverifyBsecret2' } },
];
process.stdout.write('ready\n');
for (let i = 0; ; i++) writeAwsProfile({ profile: 'verify', ...sets[i % 2]! }, env);
