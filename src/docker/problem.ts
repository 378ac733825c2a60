/** Why the Docker daemon cannot be used, as far as the client's own words tell. */
export type DaemonProblem = 'not-installed' | 'daemon-down' | 'permission-denied' | 'other';

/**
 * Classifies docker's error text. The messages are stable across CLI 20.10–28:
 * "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
 * "permission denied while trying to connect to the Docker daemon socket at unix:///…"
 */
export function detectProblem(text: string): DaemonProblem | undefined {
  if (/permission denied while trying to connect to the docker daemon/i.test(text)) {
    return 'permission-denied';
  }
  if (/cannot connect to the docker daemon|is the docker daemon running/i.test(text)) {
    return 'daemon-down';
  }
  if (/docker: (command )?not found|executable file not found/i.test(text)) return 'not-installed';
  return undefined;
}

const LINUX_FIXES: Record<DaemonProblem, string> = {
  'not-installed':
    'Install Docker Engine: `sudo apt-get install docker.io` on Debian/Ubuntu, or follow https://docs.docker.com/engine/install/',
  'daemon-down':
    'Start the Docker daemon: `sudo systemctl start docker` (on a machine without systemd: `sudo dockerd &`).',
  'permission-denied':
    'Allow your user to use Docker: `sudo usermod -aG docker $USER`, then log out and back in (or run `newgrp docker`).',
  other: 'Run `docker info` to see the full error.',
};

const MACOS_FIXES: Record<DaemonProblem, string> = {
  'not-installed':
    'Install Docker Desktop (https://docs.docker.com/desktop/setup/install/mac-install/) or colima: `brew install colima docker`.',
  'daemon-down': 'Start Docker Desktop (`open -a Docker`) or colima (`colima start`), then try again.',
  'permission-denied':
    'Restart Docker Desktop or colima; if DOCKER_HOST points at another socket, check that it belongs to you (`ls -l`).',
  other: 'Run `docker info` to see the full error.',
};

const OTHER_FIXES: Record<DaemonProblem, string> = {
  'not-installed': 'Install Docker: https://docs.docker.com/get-started/get-docker/',
  'daemon-down': 'Start Docker Desktop, then try again.',
  'permission-denied': 'Make sure your user may use Docker, then try again.',
  other: 'Run `docker info` to see the full error.',
};

/** A one-line next action for a preflight problem, phrased for the user's operating system. */
export function howToFix(problem: DaemonProblem, platform: NodeJS.Platform): string {
  if (platform === 'linux') return LINUX_FIXES[problem];
  if (platform === 'darwin') return MACOS_FIXES[problem];
  return OTHER_FIXES[problem];
}
