/** Where the executor and the workers meet: one BullMQ queue, and our keys beside it under the same prefix. */
export interface QueueNames {
  /** The BullMQ queue name. @default 'ucop-steps' */
  queue: string;
  /** The BullMQ key prefix. @default 'ucop' */
  prefix: string;
}

export const DEFAULT_QUEUE = 'ucop-steps';
export const DEFAULT_PREFIX = 'ucop';

export function queueNames(queue = DEFAULT_QUEUE, prefix = DEFAULT_PREFIX): QueueNames {
  return { queue, prefix };
}

/** The fencing counter of one job (one engine attempt): a number per delivery, or `closed`. */
export function fenceKey(names: QueueNames, jobId: string): string {
  return `${names.prefix}:${names.queue}:ucop:fence:${jobId}`;
}

/** The one committed result of a job. */
export function resultKey(names: QueueNames, jobId: string): string {
  return `${names.prefix}:${names.queue}:ucop:result:${jobId}`;
}

/** Pub/sub channel on which the coordinator tells workers to abort a job. */
export function cancelChannel(names: QueueNames): string {
  return `${names.prefix}:${names.queue}:ucop:cancel`;
}

/** Pub/sub channel on which a worker announces a committed result (the job id). */
export function resultsChannel(names: QueueNames): string {
  return `${names.prefix}:${names.queue}:ucop:results`;
}

/** Every key of ours and BullMQ's for this queue (tests remove them after). */
export function keyPattern(names: QueueNames): string {
  return `${names.prefix}:${names.queue}:*`;
}
