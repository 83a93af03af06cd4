/**
 * English function words and markdown/prose filler that carry no topic. Topic extraction and the offline
 * writer's relevance ranking both skip them, so a sentence does not match a heading through "the" or "with".
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all almost also although always am among an and another any anyone
  anything are aren't around as at back be became because become becomes been before being below between both
  but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each either
  else enough etc even ever every everything few first for from further get gets getting give given gives go
  goes going got had hadn't has hasn't have haven't having he her here hers herself him himself his how however
  i if in into is isn't it it's its itself just last least less let like likely made make makes making many
  may maybe me might mine more most much must my myself near need needs neither never new next no nor not
  nothing now of off often on once one only onto or other others otherwise our ours ourselves out over own
  per perhaps put rather really same say says see seen several shall she should shouldn't since so some
  something soon still such than that that's the their theirs them themselves then there there's these they
  thing things this those though through thus to together too toward towards under until up upon us use used
  uses using usually very via want wants was wasn't way ways we well were weren't what when where whether which
  while who whom whose why will with within without won't would wouldn't yet you your yours yourself
  yourselves e.g i.e vs via within already instead able across actually along anyway`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);
