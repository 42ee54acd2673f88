/**
 * The one holder of the knowledge answers are given from (documents, clause index, catalogue
 * answerer). Publishing builds a new immutable view and swaps it in; a turn pins the view current when
 * it starts, so an answer in flight finishes on the index it began with.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class LiveKnowledge<View extends object> {
  private latest: View;
  private readonly pinnedView = new AsyncLocalStorage<View>();

  constructor(initial: View) {
    this.latest = initial;
  }

  /** The view of the running turn, or the latest outside a turn. */
  current(): View {
    return this.pinnedView.getStore() ?? this.latest;
  }

  /** Makes `next` the view of every turn that starts from now on. */
  swap(next: View): void {
    this.latest = next;
  }

  /** Runs `fn` (a turn) on the view current now, even if another is swapped in meanwhile. */
  pinned<T>(fn: () => T): T {
    return this.pinnedView.getStore() ? fn() : this.pinnedView.run(this.latest, fn);
  }
}
