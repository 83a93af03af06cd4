/**
 * One benchmark worker process: a StepWorker with the benchmark's agents (no project configuration to
 * load). argv: redis URL, queue name, concurrency. Prints `ready` on stdout; SIGTERM stops it.
 */
import { benchAgents } from './bench-agents.ts';
import { queueNames } from '../queue-names.ts';
import { StepWorker } from '../step-worker.ts';

const [url, queue, concurrency] = process.argv.slice(2);
const worker = new StepWorker({ redisUrl: url!, names: queueNames(queue), agents: benchAgents(), concurrency: Number(concurrency ?? 1) });
await worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => void worker.shutdown(1000).then(() => process.exit(0)));
