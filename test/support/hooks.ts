import { stopTestServers } from './database';

/** Root hooks: mocha loads this file through .mocharc.json `require`. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestServers();
  },
};
