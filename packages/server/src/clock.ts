// Time as a dependency: production uses the system clock, tests pass a clock they move by hand.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests set and advance; nothing in it waits. */
export class ManualClock implements Clock {
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  set(time: number | string | Date): void {
    this.time = typeof time === 'number' ? time : new Date(time).getTime();
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
