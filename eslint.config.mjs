// ESLint flat config: typescript-eslint with type information, plus the Temporal workflow sandbox rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// The workflow bundler admits only these Node built-ins (npm:worker@1.24.0 src/workflow/bundler.ts).
const SANDBOX_BUILTINS = new Set(['assert', 'url', 'util']);
const forbiddenInWorkflows = builtinModules.filter((m) => !SANDBOX_BUILTINS.has(m)).flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'scripts/*.js', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Every process folder (workflows/<workflowType>/) and workflows/shared/: test/unit/workflowLintRules.test.ts.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows,
          patterns: [
            {
              group: [
                '@temporalio/activity',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/testing',
                '@temporalio/core-bridge',
                '@temporalio/common/lib/internal-non-workflow*',
                '**/activities',
                '**/activities/**',
                '**/integrations/**',
                '**/db/**',
                '**/api/**',
              ],
              message: 'Workflow code runs in the deterministic sandbox: import activity types only (import type).',
              allowTypeImports: true,
            },
            {
              // temporal/ is the client side (connections, codec, starters) and imports workflows/: the constants a
              // workflow needs live in workflows/shared/, so the two folders never import each other both ways.
              group: ['**/temporal', '**/temporal/**'],
              message: 'temporal/ is client-side: put sandbox-safe constants in workflows/shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    // demo/ drives the running product through its JSON API like a test does.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'demo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // Tests read JSON responses as `any` on purpose: the assertions are the type check.
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
