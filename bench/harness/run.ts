/** Steps that undo a bench's set-up, run last-registered first. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  defer(step: () => unknown): void {
    this.steps.unshift(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0)) {
      try {
        await step();
      } catch (err) {
        process.stderr.write(`cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }
}

/**
 * Runs a bench's `main` with a cleanup stack, reports a failure on stderr and exits (handles
 * the stores or a browser may leave open must not keep the process alive).
 */
export function runBench(main: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  main(cleanup)
    .then(
      () => 0,
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        return 1;
      },
    )
    .then(async (code) => {
      await cleanup.run();
      process.exit(code);
    });
}
