// Hostile documents shared by the format and HTTP tests (issue #13).

/** The classic "billion laughs" as an HPA manifest: nine anchors, each aliasing the previous nine times (9⁹ strings expanded). */
export const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'kind: HorizontalPodAutoscaler',
].join('\n');
