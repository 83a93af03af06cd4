import { scaleWorkflowSource } from '/work/main/packages/core/dist/engine/benchmark-scale.js';
import { loadYaml } from '/work/main/packages/core/dist/dsl/yaml-loader.js';
const src = scaleWorkflowSource(Number(process.argv[2]));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let c = cpu(); loadYaml(src, 'x', { maxBytes: 1e8 }); console.log(process.argv[2], 'loadYaml', (cpu() - c).toFixed(0), (process.memoryUsage().heapUsed/1e6).toFixed(0));
