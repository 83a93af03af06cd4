import { mulberry32 } from '@ucop/core';

/**
 * The seeded pseudo-random generator of the workloads (core's mulberry32), so that generated workloads are the
 * same on every run and every machine: a regression in the figures is the engine's, not the dice's.
 */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** An integer in [min, max], inclusive. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
