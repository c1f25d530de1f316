// jest runs ES modules natively here (no transform; `node --experimental-vm-modules`, see package.json).
export default {
  testEnvironment: 'node',
  transform: {},
  testMatch: ['**/*.test.mjs'],
  globalSetup: './global-setup.mjs',
  globalTeardown: './global-teardown.mjs',
};
