import type { ArchivedPost } from '../ingest/ingest-blog-archive.ts';
import { tokenize } from '../text/tokenize.ts';

/**
 * The earlier posts that share the most keyword terms with the new post, best first (ties in archive
 * order); posts sharing none are left out.
 */
export function relatedPosts(posts: readonly ArchivedPost[], keywords: readonly string[], max: number): ArchivedPost[] {
  const wanted = new Set(keywords.flatMap((k) => tokenize(k)));
  if (wanted.size === 0 || max <= 0) return [];
  return posts
    .map((post, i) => {
      const have = new Set(tokenize([post.title, post.summary, ...post.tags].join(' ')));
      let score = 0;
      for (const t of wanted) if (have.has(t)) score++;
      return { post, i, score };
    })
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, max)
    .map((p) => p.post);
}
