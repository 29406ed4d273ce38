import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/scenario/**/*.test.ts", "test/cli/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The graph test evaluates sst.config.ts, which calls process.chdir: it needs forks.
      { test: { name: "infra", include: ["test/infra/**/*.test.ts"], pool: "forks", testTimeout: 120_000 } },
    ],
  },
});
