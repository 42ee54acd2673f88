/** The knowledge holder: a turn keeps the view it started with; turns started after a swap get the new one. */
import { describe, expect, it } from 'vitest';
import { LiveKnowledge } from '../../src/knowledge/publishing/live-knowledge.js';

describe('LiveKnowledge', () => {
  it('when a view is swapped in during a turn, then that turn finishes on the old one and the next starts on the new one', async () => {
    const live = new LiveKnowledge({ version: 'old' });
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const turn = live.pinned(async () => {
      seen.push(live.current().version);
      await paused;
      // Nested calls (a handler calling another) stay on the turn's view.
      seen.push(live.pinned(() => live.current().version));
      return live.current().version;
    });
    live.swap({ version: 'new' });
    const next = live.pinned(async () => live.current().version);
    release();
    expect(await turn).toBe('old');
    expect(seen).toEqual(['old', 'old']);
    expect(await next).toBe('new');
    expect(live.current().version).toBe('new');
  });
});
