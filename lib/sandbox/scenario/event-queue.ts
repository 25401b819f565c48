import type { Seconds } from "./time";

interface QueuedEvent {
  at: Seconds;
  /** Insertion order breaks ties, so two events in the same second run in the order they were planned. */
  order: number;
  run: () => void;
}

/**
 * The simulation's timeline: a min-heap of events by time. Events plan later events; whatever is
 * planned after the horizon (the scenario's end) never runs, so nothing exists past it. Dropping an
 * event draws nothing and changes nothing before the horizon, which is what lets a longer horizon
 * leave the earlier timeline as it was.
 */
export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private planned = 0;
  private current: Seconds = Number.NEGATIVE_INFINITY;

  constructor(private readonly horizon: Seconds) {}

  /** The time of the event being run. */
  get now(): Seconds {
    return this.current;
  }

  at(time: Seconds, run: () => void): void {
    if (!Number.isInteger(time)) throw new Error(`Scenario times are whole seconds, got ${time}`);
    // Planning into the past would let an object be created before what it depends on.
    if (time < this.current) throw new Error(`Event planned in the past: ${time} < ${this.current}`);
    if (time > this.horizon) return;
    this.push({ at: time, order: this.planned++, run });
  }

  runAll(): void {
    for (let event = this.pop(); event; event = this.pop()) {
      this.current = event.at;
      event.run();
    }
  }

  private push(event: QueuedEvent): void {
    const heap = this.heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return top;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
