import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/coverage/',
      '**/*.log',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.eslintcache',
      '.config/',
      'scripts/browser-check/dist/',
      // Everything that is not the frontend (Go services, Terraform, provisioning).
      'pkg/',
      'services/',
      'k8s/',
      'terraform/',
      'provisioning/',
      '*.config.js',
      'jest-setup.js',
      '.prettierrc.js',
    ],
  },
  ...baseConfig,
]);
