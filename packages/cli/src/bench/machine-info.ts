import { cpus, loadavg, platform, arch, totalmem } from 'node:os';

/** The machine a benchmark ran on: figures mean little without it. */
export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  platform: string;
  node: string;
  /** 1-minute load average when the benchmark started (0 on Windows). */
  load1: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpus: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()}-${arch()}`,
    node: process.versions.node,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
