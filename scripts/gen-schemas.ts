// Writes schema/ruleset.schema.json, schema/openapi.json and schema/credentials.schema.json from the zod schemas (src/openapi.ts); commit the output.
// Run: npm run gen:schemas (bundled with esbuild, like the benchmark). test/http/openapi.test.ts fails
// when the committed files differ from what src/openapi.ts generates, i.e. when this was not re-run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument, buildRuleSetJsonSchema, jsonFileText } from '../src/openapi.js';
import { buildCredentialsJsonSchema } from '../src/http/credentials.js';

// The bundle runs from .bench/, one level below the repository root, as scripts/ is.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const outputs: Array<[string, unknown]> = [
  ['schema/ruleset.schema.json', buildRuleSetJsonSchema()],
  ['schema/openapi.json', buildOpenApiDocument()],
  ['schema/credentials.schema.json', buildCredentialsJsonSchema()],
];

for (const [file, value] of outputs) {
  const path = join(root, file);
  const text = jsonFileText(value);
  let before: string | undefined;
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    before = undefined;
  }
  // Untouched files keep their mtime, so a clean regeneration changes nothing on disk.
  if (before === text) {
    console.log(`gen-schemas: ${file} is up to date`);
    continue;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`gen-schemas: wrote ${file} (${text.length} bytes)`);
}
