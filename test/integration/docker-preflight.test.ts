import { describe, expect, it } from 'vitest';
import { detectProblem, dockerPreflight, howToFix } from '../../src/docker/index.js';

// Needs a running dockerd (CI: `source .ci/docker-env.sh`). Under CI=true a missing daemon fails
// the run; on a developer machine these tests are skipped with one line saying why.
const preflight = await dockerPreflight();
const unavailable = !preflight.client.ok
  ? 'the docker command is not installed'
  : !preflight.daemon.ok
    ? `the Docker daemon is not reachable (${preflight.daemon.problem}: ${preflight.daemon.serverErrors?.join(' ')})`
    : undefined;

if (unavailable && process.env.CI === 'true') {
  describe('Docker preflight integration', () => {
    it('has a Docker daemon in CI', () => {
      throw new Error(`CI=true but ${unavailable}. Source .ci/docker-env.sh before the tests.`);
    });
  });
} else if (unavailable) {
  console.warn(`[skipped] Docker preflight integration tests: ${unavailable}. Run \`source .ci/docker-env.sh\` to enable them.`);
}

describe.runIf(!unavailable)('dockerPreflight against the real daemon', () => {
  it('reports client, daemon version and host architecture', () => {
    expect(preflight.client).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+/) });
    expect(preflight.daemon.ok).toBe(true);
    expect(preflight.daemon.version).toMatch(/^\d+\.\d+/);
    expect(preflight.daemon.arch).toMatch(/^(x86_64|aarch64|arm64|armv7l|s390x|ppc64le|riscv64)$/);
    expect(preflight.daemon.problem).toBeUndefined();
    expect(typeof preflight.buildx.ok).toBe('boolean');
  });

  it('reports a daemon that is down, with the client still ok', async () => {
    const down = await dockerPreflight({ env: { DOCKER_HOST: 'unix:///tmp/slipway-no-such-docker.sock' } });
    expect(down.client.ok).toBe(true);
    expect(down.daemon.ok).toBe(false);
    expect(down.daemon.problem).toBe('daemon-down');
    expect(down.daemon.serverErrors?.join(' ')).toMatch(/Cannot connect to the Docker daemon/);
  });
});

describe('dockerPreflight without docker', () => {
  it('does not throw when the binary is missing', async () => {
    const missing = await dockerPreflight({ env: { PATH: '/nonexistent-slipway-path' } });
    expect(missing).toEqual({
      client: { ok: false },
      daemon: { ok: false, problem: 'not-installed' },
      buildx: { ok: false },
    });
  });

  it('rejects with the abort reason when cancelled before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(dockerPreflight({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('daemon problems and their fixes', () => {
  // Real messages: the socket belongs to root:docker and the user is not in the group.
  it.each([
    [
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/info": dial unix /var/run/docker.sock: connect: permission denied',
      'permission-denied',
    ],
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'daemon-down'],
    ['something else entirely', undefined],
  ])('%s → %s', (text, problem) => {
    expect(detectProblem(text)).toBe(problem);
  });

  it('gives Linux and macOS their own next step', () => {
    expect(howToFix('daemon-down', 'linux')).toContain('sudo systemctl start docker');
    expect(howToFix('permission-denied', 'linux')).toContain('sudo usermod -aG docker $USER');
    expect(howToFix('daemon-down', 'darwin')).toMatch(/Docker Desktop|colima/);
    expect(howToFix('not-installed', 'win32')).toMatch(/docker/i);
  });
});
