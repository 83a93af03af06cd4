import { describe, it, expect } from 'vitest';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runVerify, toleranceFromEnv } from './run-verify.ts';
import { formatVerifyReport } from './format-verify-report.ts';
import { withTempDir } from './temp-dir.ts';
import { createCoreHarness } from '../bench/core-harness.ts';
import { runsTwiceSimAgents } from './testing/broken-harness.ts';
import { createDefaultVerifyDeps } from './default-verify-deps.ts';
import { DEFAULT_ROOT } from './installed-packages.ts';
import { workflowFilesIn } from './verify-files.ts';

const GOOD_WORKFLOW = `version: 1
name: mine
steps:
  wait: { agent: sim.delay, with: { ms: 1 } }
`;

const UNKNOWN_AGENT_WORKFLOW = `version: 1
name: broken
steps:
  outline:
    agent: writer.outlin
`;

describe('runVerify: the workflows check on real files', () => {
  it('passes on the shipped workflows and a valid user directory', async () => {
    await withTempDir('verify-ok', async (dir) => {
      await writeFile(join(dir, 'mine.yaml'), GOOD_WORKFLOW);
      const report = await runVerify({ checks: ['workflows'], workflowsDir: dir, cwd: dir });
      // The shipped workflows, the shipped examples, and the user's.
      const shipped = [...workflowFilesIn(join(DEFAULT_ROOT, 'workflows')), ...workflowFilesIn(join(DEFAULT_ROOT, 'workflows', 'examples'))];
      expect(shipped.map((f) => basename(f))).toEqual(expect.arrayContaining(['blog_generation.yaml', 'fan-out.yaml', 'failure-handling.yaml']));
      expect(report.checks[0]?.details?.['workflows']).toEqual([...shipped, join(dir, 'mine.yaml')]);
      expect(report.checks[0]?.reason).toMatch(new RegExp(`^${shipped.length + 1} workflow\\(s\\) and 2 configuration file\\(s\\) valid`));
      // The main configuration and the providers file the commands would use from that directory.
      expect(report.checks[0]?.details?.['configFiles']).toEqual([join(DEFAULT_ROOT, 'config', 'main.yaml'), join(DEFAULT_ROOT, 'config', 'providers.yaml')]);
      expect(report.ok).toBe(true);
    });
  });

  it('fails on a workflow naming an agent that does not exist, with file:line:col and a suggestion', async () => {
    await withTempDir('verify-agent', async (dir) => {
      await writeFile(join(dir, 'broken.yaml'), UNKNOWN_AGENT_WORKFLOW);
      const report = await runVerify({ checks: ['workflows'], workflowsDir: dir, cwd: dir });
      expect(report.ok).toBe(false);
      const reason = report.checks[0]!.reason;
      expect(reason).toContain(`${join(dir, 'broken.yaml')}:5:12: UNKNOWN_AGENT`);
      expect(reason).toContain('writer.outline');
      expect(formatVerifyReport(report)).toMatch(/^FAIL workflows: 1 problem\(s\): .*UNKNOWN_AGENT/);
    });
  });

  it('fails on a configuration file with a renamed key, naming the new key', async () => {
    await withTempDir('verify-config', async (dir) => {
      await mkdir(join(dir, 'config'));
      await writeFile(join(dir, 'config', 'main.yaml'), 'defaults:\n  maxParallel: 4\n');
      const report = await runVerify({ checks: ['workflows'], cwd: dir });
      expect(report.ok).toBe(false);
      expect(report.checks[0]!.reason).toContain(`${join(dir, 'config', 'main.yaml')}:2:3: CONFIG_UNKNOWN_KEY unknown key \`maxParallel\` in \`defaults\` (\`maxParallel\` was renamed to \`max_parallel\`)`);
    });
  });

  it('fails on a providers file with an unknown key, and on a workflow naming a provider that file does not define', async () => {
    await withTempDir('verify-providers', async (dir) => {
      await mkdir(join(dir, 'config'));
      await writeFile(join(dir, 'config', 'providers.yaml'), 'providers:\n  - name: local\n    kind: offline\n    modle: x\n');
      await writeFile(join(dir, 'uses.yaml'), 'version: 1\nname: uses\nsteps:\n  a: { agent: sim.delay, with: { ms: 1 }, provider: locl }\n');
      const broken = await runVerify({ checks: ['workflows'], workflowsDir: dir, cwd: dir });
      expect(broken.ok).toBe(false);
      expect(broken.checks[0]!.reason).toContain(`${join(dir, 'config', 'providers.yaml')}:4:5: CONFIG_UNKNOWN_KEY unknown key \`modle\` in \`providers[0]\``);
      await writeFile(join(dir, 'config', 'providers.yaml'), 'providers:\n  - name: local\n    kind: offline\n');
      const unknown = await runVerify({ checks: ['workflows'], workflowsDir: dir, cwd: dir });
      expect(unknown.ok).toBe(false);
      expect(unknown.checks[0]!.reason).toContain(`${join(dir, 'uses.yaml')}:4:53: CONFIG_INVALID unknown provider \`locl\``);
      expect(unknown.checks[0]!.reason).toContain('(did you mean `local`?)');
    });
  });

  it('fails when the --workflows directory does not exist', async () => {
    const report = await runVerify({ checks: ['workflows'], workflowsDir: '/nonexistent/ucop-workflows' });
    expect(report.ok).toBe(false);
    expect(report.checks[0]!.reason).toContain('the workflows directory /nonexistent/ucop-workflows does not exist');
  });
});

describe('runVerify: parity', () => {
  it('passes on the shipped workflows', async () => {
    const report = await runVerify({ checks: ['parity'] });
    expect(report.checks[0]!.reason).toMatch(/^\d+ shipped workflow\(s\) give byte-identical results in both engines, each agent invoked once, and a resumed run invokes none: .*blog_generation\.yaml, .*fan-out\.yaml/);
    expect(report.checks[0]!.reason).toMatch(/backlog\.yaml, .*book_chapters\.yaml, .*manuscript_edit\.yaml/);
    expect(report.ok).toBe(true);
  });

  it('fails when a shipped workflow invokes an agent twice, or when resuming a finished run invokes one', async () => {
    const real = await createDefaultVerifyDeps({});
    const counted = real.parity.runOfflineCounted!;
    const report = await runVerify({
      checks: ['parity'],
      deps: {
        parity: {
          workflows: real.parity.workflows.filter((f) => f.endsWith('fan-out.yaml')),
          runOffline: real.parity.runOffline,
          async runOfflineCounted(file, engine, outDir, resume, signal) {
            const result = await counted(file, engine, outDir, resume, signal);
            // A resumed run that redoes a step, and a parallel run that runs one twice.
            if (resume) return { ...result, invocations: ['split attempt 1'] };
            return engine === 'parallel' ? { ...result, invocations: [...result.invocations, result.invocations[0]!] } : result;
          },
        },
      },
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]!.reason).toMatch(/fan-out\.yaml: resuming a finished run invoked 1 agent\(s\): split attempt 1/);
    expect(report.checks[0]!.reason).toMatch(/fan-out\.yaml: not exactly once: parallel engine: .* ran 2 times/);
  });

  it('fails when one engine writes a different byte, naming the file', async () => {
    const real = await createDefaultVerifyDeps({});
    const report = await runVerify({
      checks: ['parity'],
      deps: {
        parity: {
          workflows: real.parity.workflows.filter((f) => f.endsWith('blog_generation.yaml')),
          async runOffline(file, engine, outDir, signal) {
            const record = await real.parity.runOffline(file, engine, outDir, signal);
            if (engine === 'parallel') await appendFile(join(outDir, 'steps', 'assemble.json'), ' ');
            return record;
          },
        },
      },
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]!.reason).toMatch(/^blog_generation\.yaml: the engines disagree: steps\/assemble\.json differs \((\d+) vs \d+ bytes\)/);
  });
});

describe('runVerify: the report', () => {
  it('is not ok when an engine check fails, and says which one and why', async () => {
    const report = await runVerify({ checks: ['runtime', 'exactly-once'], deps: { engine: { ...createCoreHarness(), simAgents: runsTwiceSimAgents } } });
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['runtime', true],
      ['exactly-once', false],
    ]);
    const text = formatVerifyReport(report);
    expect(text).toMatch(/^PASS runtime: /m);
    expect(text).toMatch(/^FAIL exactly-once: parallel engine: list attempt 1 ran 2 times/m);
    expect(text).toMatch(/verify: 1 of 2 checks failed: exactly-once/);
  });

  it('reports a check that throws as failed rather than crashing', async () => {
    const harness = createCoreHarness();
    const report = await runVerify({
      checks: ['resume'],
      deps: { engine: { ...harness, compile: () => Promise.reject(new Error('compiler exploded')) } },
    });
    expect(report.checks[0]).toMatchObject({ name: 'resume', ok: false, reason: 'the check could not run: compiler exploded' });
  });
});

describe('toleranceFromEnv', () => {
  it('reads UCOP_VERIFY_SPEEDUP_TOLERANCE and refuses a bad value', () => {
    expect(toleranceFromEnv({})).toBeUndefined();
    expect(toleranceFromEnv({ UCOP_VERIFY_SPEEDUP_TOLERANCE: '0.25' })).toBe(0.25);
    expect(() => toleranceFromEnv({ UCOP_VERIFY_SPEEDUP_TOLERANCE: '15%' })).toThrow('UCOP_VERIFY_SPEEDUP_TOLERANCE="15%" must be a fraction of at least 0');
  });
});
