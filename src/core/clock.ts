// Every time-dependent function takes a clock, so tests and replays control time.
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
export const fixedClock = (epochMs: number): Clock => () => epochMs;
