// A child process for the crash test: creates users one by one on a file-backed sandbox and prints
// each index once its call has returned, until the parent SIGKILLs it.
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { attachSandbox } from '../../src/sandbox/attach.js';
import { createSandbox } from '../../src/sandbox/store.js';

const [file, from] = process.argv.slice(2);
const sandbox = createSandbox({ file });
const iam = attachSandbox(new IAMClient({ region: 'us-east-1', credentials: sandbox.adminCredentials() }), sandbox);
for (let i = Number(from ?? 0); ; i++) {
  await iam.send(new CreateUserCommand({ UserName: `user-${i}`, Tags: [{ Key: 'index', Value: String(i) }] }));
  process.stdout.write(`${i}\n`);
}
