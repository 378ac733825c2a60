import { SlipwayError } from '../../src/engine/errors.js';
import { checkStep } from '../shared/check-step.js';
import type { DoctorContext } from './context.js';
import { platformFix } from './fixes.js';

export const dockerClient = checkStep<DoctorContext>('docker-client', 'Docker client', async (c) => {
  const { client } = await c.docker();
  if (!client.ok) {
    throw new SlipwayError('The docker command was not found.', {
      fix: platformFix(c.runtime.platform, {
        linux: 'Install Docker Engine: sudo apt-get install docker.io (Debian/Ubuntu) or see docs.docker.com/engine/install.',
        mac: 'Install Docker Desktop (docs.docker.com/desktop) or `brew install colima docker`.',
      }),
    });
  }
  return { version: client.version ?? 'unknown' };
});

export const dockerDaemon = checkStep<DoctorContext>('docker-daemon', 'Docker daemon reachable', async (c) => {
  const { daemon } = await c.docker();
  if (!daemon.ok) {
    const { howToFix } = await import('../../src/docker/index.js');
    throw new SlipwayError(daemon.problem === 'permission-denied' ? 'Permission denied on the Docker socket.' : 'The Docker daemon is not reachable.', {
      why: daemon.serverErrors?.join(' ') || undefined,
      fix: howToFix(daemon.problem ?? 'other', c.runtime.platform),
    });
  }
  return { version: daemon.version ?? 'unknown', arch: daemon.arch ?? 'unknown' };
});

export const dockerBuildx = checkStep<DoctorContext>('buildx', 'Docker buildx', async (c) => {
  const { buildx } = await c.docker();
  if (!buildx.ok) {
    throw new SlipwayError('docker buildx is not available.', {
      why: 'buildx builds images for another platform (linux/amd64 on an Apple Silicon Mac, for Fargate).',
      fix: platformFix(c.runtime.platform, {
        linux: 'sudo apt-get install docker-buildx (Debian/Ubuntu) or docker-buildx-plugin from Docker’s repository.',
        mac: 'Docker Desktop includes it; with colima: brew install docker-buildx.',
      }),
    });
  }
  return { version: buildx.version ?? 'unknown' };
});
