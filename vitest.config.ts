import { defineConfig } from 'vitest/config';

// Two tiers: small (pure, *.test.ts) and medium (real database, *.db.test.ts). Medium files each open a
// fresh database; they run in parallel forks, each with its own PGlite or PostgreSQL schema.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'small',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.db.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'medium',
          include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
