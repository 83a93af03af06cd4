import type { ArtifactWriter } from '../agents/artifact-writer.ts';
import { UcopError } from '../errors/ucop-error.ts';

function refuse(): never {
  throw new UcopError('USAGE', 'this run has no output directory, so agents cannot write artifacts; pass `outDir` to runWorkflow (`-o <dir>` on the command line)');
}

/** The artifact writer of a run without `outDir`: writing fails and says how to give one. */
export const unavailableArtifactWriter: ArtifactWriter = {
  get root(): string {
    return refuse();
  },
  write: () => Promise.reject(new UcopError('USAGE', 'this run has no output directory, so agents cannot write artifacts; pass `outDir` to runWorkflow (`-o <dir>` on the command line)')),
  resolve: () => refuse(),
};
