import { existsSync } from 'node:fs';
import { DeleteKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { tolerate } from '../../../src/aws/errors.js';
import { MissingOutputError, UsageError } from '../../../src/engine/errors.js';
import type { Step } from '../../../src/engine/types.js';
import { fingerprintOfImportedKey, generateKeyPairAsync, privateKeyPath, publicKeyOfPrivateKeyFile, writePrivateKey } from '../../../src/local/ssh-key.js';
import type { BootstrapContext } from '../context.js';

/**
 * EC2 key pair, made locally and imported, so the private key never crosses the network and a crash
 * cannot lose it: the file is written first (0600), then the public half is imported. A pair whose
 * private key is not on this machine is useless here; the person chooses to replace it.
 */
export const keyPair: Step<BootstrapContext> = {
  id: 'key-pair',
  title: 'EC2 key pair in ~/.ssh',
  plan: (c) => `generate ${c.names.keyPairName} locally → ~/.ssh/${c.names.keyPairName}.pem (0600), ec2:ImportKeyPair in ${c.names.region}`,
  async probe(c) {
    // EC2 is read as the admin role: a --plan does not assume it (an MFA code, a cached session)
    // unless an earlier run left a session to use — otherwise this step is known once that is done.
    if (c.planning && c.outputs.verify === undefined) throw new MissingOutputError('verify');
    const remote = await describe(c);
    const path = privateKeyPath(c.names.keyPairName, c.runtime.env);
    if (!remote || !existsSync(path)) return undefined;
    const local = fingerprintOfImportedKey(publicKeyOfPrivateKeyFile(path));
    return remote.KeyFingerprint === local ? { keyName: c.names.keyPairName, fingerprint: local, path } : undefined;
  },
  async apply(c) {
    const ec2 = await c.ec2AsAdmin();
    const name = c.names.keyPairName;
    const path = privateKeyPath(name, c.runtime.env);
    const remote = await describe(c);
    if (remote) {
      // It exists but does not match a key here (or there is no key here).
      const replace =
        c.prompter.interactive &&
        (await c.prompter.confirm({ id: 'replace-key-pair', message: `EC2 already has a key pair "${name}" in ${c.names.region} whose private key is not in ${path}. Replace it?`, default: false }));
      if (!replace) throw new UsageError(`A key pair "${name}" already exists in ${c.names.region} without its private key here.`, { fix: 'Choose another --key-pair name, or confirm the replacement in a terminal.' });
      await ec2.send(new DeleteKeyPairCommand({ KeyName: name }), { abortSignal: c.signal });
    }
    // A key file left by an interrupted run is imported as it is; otherwise a new one is made.
    let publicKey: string;
    if (existsSync(path)) {
      publicKey = publicKeyOfPrivateKeyFile(path);
      c.report.log(`Importing the key already in ${path}.`);
    } else {
      // RSA-4096 takes seconds to generate: off the main thread, so the screen and Ctrl-C stay alive.
      const made = await generateKeyPairAsync();
      writePrivateKey(name, made.privateKeyPem, c.runtime.env);
      publicKey = made.publicKeyOpenSsh;
    }
    const imported = await ec2.send(
      new ImportKeyPairCommand({ KeyName: name, PublicKeyMaterial: new TextEncoder().encode(publicKey), TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'slipway:managed', Value: 'true' }] }] }),
      { abortSignal: c.signal },
    );
    return { keyName: name, fingerprint: imported.KeyFingerprint ?? fingerprintOfImportedKey(publicKey), path };
  },
};

async function describe(c: BootstrapContext) {
  const ec2 = await c.ec2AsAdmin();
  const out = await tolerate('not-found', () => ec2.send(new DescribeKeyPairsCommand({ KeyNames: [c.names.keyPairName] }), { abortSignal: c.signal }));
  return out?.KeyPairs?.[0];
}
