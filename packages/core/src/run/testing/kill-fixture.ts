/**
 * Run by resume.test.ts in a child process that the test kills with SIGKILL mid-run:
 * `node kill-fixture.ts <outDir>`. Steps `a` and `b` finish quickly; `slow` never does on its own.
 */
import { runWorkflow } from '../../engine/run-workflow.ts';
import { resumePlan, resumeAgents } from './resume-plan.ts';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: kill-fixture.ts <outDir>');
await runWorkflow(resumePlan({ slowMs: 600_000 }), { inputs: {}, agents: resumeAgents().agents, outDir });
