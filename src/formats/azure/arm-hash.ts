// ARM's uniqueString(): Microsoft's 64-bit MurmurHash of the arguments joined by "-", written as 13 base-32 characters.
//
// Sources:
// - "Template functions - string" (Microsoft Learn, template-functions-string.md#uniquestring): a deterministic
//   hash of the string arguments, 13 characters long, e.g. "tcvhiyu5h2o5o".
// - The hash is Microsoft's MurmurHash64 variant (two 32-bit lanes with MurmurHash3's x86 constants and
//   finalizer, seed 0, UTF-8 bytes), as published in Azure-App-Service/KuduLite Kudu.Core/Helpers/HashHelper.cs
//   `MurmurHash64`; the encoding takes the hash's top 5 bits 13 times ("abcdefghijklmnopqrstuvwxyz234567").
// - Pinned against values ARM itself returned, cited in test/formats/azure-arm-functions.test.ts:
//   KingslandConsulting/Kingsland.ArmLinter ArmFunctions.UniqueString.cs (outputs of real deployments:
//   uniqueString('aaa') = "zavj67f3en4hc", …) and microsoft/commercial-marketplace-offer-deploy
//   test/Tests/UnitTests/ArmFunctionsTests.cs (Azure.Deployments.Expression, ARM's own library:'s own result for a VM resource id).

/** ARM refuses a uniqueString() input longer than this (TemplateLiteralLimitExceeded). */
export const UNIQUE_STRING_MAX_INPUT = 131_072;

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x561ccd1b;
const C4 = 0x0bcaa747;
const C5 = 0x85ebca6b;
const C6 = 0xc2b2ae35;

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul32 = (a: number, b: number): number => Math.imul(a, b) >>> 0;
const add32 = (a: number, b: number): number => (a + b) >>> 0;
/** Little-endian word of `n` (1–4) bytes at `at`. */
const word = (data: Uint8Array, at: number, n: number): number => {
  let v = 0;
  for (let j = n - 1; j >= 0; j--) v = (v << 8) | data[at + j]!;
  return v >>> 0;
};
const fmix = (h: number): number => {
  h = mul32(h ^ (h >>> 16), C5);
  h = mul32(h ^ (h >>> 13), C6);
  return (h ^ (h >>> 16)) >>> 0;
};

/** Microsoft's MurmurHash64 (seed 0) of `data`: [high, low] 32-bit halves. */
function murmurHash64(data: Uint8Array): [number, number] {
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 7 < data.length; i += 8) {
    h1 = add32(mul32(add32(rotl(h1 ^ mul32(rotl(mul32(word(data, i, 4), C1), 15), C2), 19), h2), 5), C3);
    h2 = add32(mul32(add32(rotl(h2 ^ mul32(rotl(mul32(word(data, i + 4, 4), C2), 17), C1), 13), h1), 5), C4);
  }
  const tail = data.length - i;
  if (tail > 0) {
    h1 = (h1 ^ mul32(rotl(mul32(word(data, i, Math.min(tail, 4)), C1), 15), C2)) >>> 0;
    if (tail > 4) h2 = (h2 ^ mul32(rotl(mul32(word(data, i + 4, tail - 4), C2), 17), C1)) >>> 0;
  }
  h1 = (h1 ^ data.length) >>> 0;
  h2 = (h2 ^ data.length) >>> 0;
  h1 = add32(h1, h2);
  h2 = add32(h2, h1);
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = add32(h1, h2);
  h2 = add32(h2, h1);
  return [h2, h1];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** uniqueString(a, b, …): the 13-character hash ARM returns for these strings. */
export function uniqueStringOf(parts: readonly string[]): string {
  const [high, low] = murmurHash64(new TextEncoder().encode(parts.join('-')));
  let v = (BigInt(high) << 32n) | BigInt(low);
  let out = '';
  for (let k = 0; k < 13; k++) {
    out += BASE32[Number(v >> 59n)];
    v = (v << 5n) & 0xffff_ffff_ffff_ffffn;
  }
  return out;
}
