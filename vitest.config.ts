import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Powertools stays quiet in tests; tests that check logs or metrics observe them directly.
    env: {
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_TRACE_ENABLED: "false",
    },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/scenario/**/*.test.ts", "test/cli/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          // Every simulated account evaluates the handlers' and the operator's calls; a denial fails the test.
          setupFiles: ["test/support/iam-enforcement.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The real adapters against moto (an emulator the project did not write) and the simulated account.
      {
        extends: true,
        test: {
          name: "conformance",
          include: ["test/conformance/**/*.test.ts"],
          globalSetup: ["test/conformance/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The graph test evaluates sst.config.ts, which calls process.chdir: it needs forks.
      {
        extends: true,
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], pool: "forks", testTimeout: 120_000 },
      },
    ],
  },
});
