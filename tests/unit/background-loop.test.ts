import { describe, expect, it } from "vitest";
import { startBackgroundLoop } from "@/lib/ingest/background-loop";

describe("a background loop", () => {
  it("stops when asked during a step, once the step is done, instead of sleeping first", async () => {
    let finishStep!: () => void;
    let steps = 0;
    const loop = startBackgroundLoop(
      () =>
        new Promise<boolean>((resolve) => {
          steps++;
          finishStep = () => resolve(false);
        }),
      { pollMs: 60_000 },
    );
    await expect.poll(() => steps).toBe(1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    finishStep();
    // Its wait would be a minute long, on a timer that does not keep the process alive.
    await expect(Promise.race([stopping, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 1000))])).resolves.toBe(true);
    expect(steps).toBe(1);
  });
});
