import type { Outputs } from '../../src/engine/types.js';

/** What the person needs at the end: where to sign in, what is left to do by hand, how to use the profile. */
export function bootstrapSummary(outputs: Record<string, Outputs>): string[] {
  const account = String(outputs.identity?.account ?? '');
  const alias = String(outputs['account-alias']?.alias ?? '');
  const profile = String(outputs['cli-profile']?.profile ?? '');
  const lines = [
    `Signed in as ${String(outputs.verify?.assumedRoleArn ?? '?')}.`,
    `Console sign-in: https://${alias || account}.signin.aws.amazon.com/console${outputs['console-password']?.console === 'enabled' ? ' (the one-time password you saved; you choose a new one there)' : ''}`,
  ];
  if (outputs['key-pair']?.path) lines.push(`SSH key: ${String(outputs['key-pair'].path)} (EC2 key pair "${String(outputs['key-pair'].keyName)}")`);
  lines.push(
    'Left to do in the console, as the root user:',
    '  [ ] MFA on the root user: https://console.aws.amazon.com/iam/home#/security_credentials',
    '  [ ] delete any root access keys (same page), and the temporary admin user if you made one',
    '  [ ] allow IAM access to billing if you want it: https://console.aws.amazon.com/billing/home#/account',
    `Use it: export AWS_PROFILE=${profile}`,
  );
  return lines;
}
