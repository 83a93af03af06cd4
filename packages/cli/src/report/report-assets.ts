import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UcopError } from '@ucop/core';

/** The scripts and styles inlined into report.html, so that it opens with no network. */
export interface ReportAssets {
  /** vis-timeline's standalone build (Apache-2.0 OR MIT; its licence header is kept). */
  libraryJs: string;
  libraryCss: string;
  pageJs: string;
  pageCss: string;
}

// Beside src/ (and beside dist/ once built): the page's own script and style.
const PAGE_DIR = new URL('../../assets/report/', import.meta.url);

/** Inlined into a <script> or <style> element: the text must not close it. */
function inlineSafe(text: string, tag: 'script' | 'style', what: string): string {
  if (text.toLowerCase().includes(`</${tag}`)) throw new UcopError('INTERNAL', `${what} contains "</${tag}" and cannot be inlined into the report`);
  return text;
}

/** Reads vis-timeline's built files from node_modules and the page's own files. */
export async function loadReportAssets(): Promise<ReportAssets> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('vis-timeline/package.json'));
  const [libraryJs, libraryCss, pageJs, pageCss] = await Promise.all([
    readFile(join(root, 'standalone/umd/vis-timeline-graph2d.min.js'), 'utf8'),
    readFile(join(root, 'styles/vis-timeline-graph2d.min.css'), 'utf8'),
    readFile(new URL('report-page.js', PAGE_DIR), 'utf8'),
    readFile(new URL('report-page.css', PAGE_DIR), 'utf8'),
  ]);
  return {
    libraryJs: inlineSafe(libraryJs, 'script', 'vis-timeline'),
    libraryCss: inlineSafe(libraryCss, 'style', 'vis-timeline styles'),
    pageJs: inlineSafe(pageJs, 'script', 'report-page.js'),
    pageCss: inlineSafe(pageCss, 'style', 'report-page.css'),
  };
}
