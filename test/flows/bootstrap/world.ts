import { homeEnv } from '../../support/home-env.js';
import type { Answers } from '../../../src/engine/types.js';

// Shared by the in-process tests and the child process of the crash test (so: no vitest imports here).

export const NEWCOMER: Answers = { region: 'us-east-1', userName: 'alice', profileName: 'acme', accountAlias: '' };

/** Nothing from the real environment but PATH: ~/.aws, ~/.ssh and the journals all live under `home`. */
export function worldEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...homeEnv(home) };
}

