import module from 'node:module'; module.enableCompileCache?.(); await import('./out/main.js');
