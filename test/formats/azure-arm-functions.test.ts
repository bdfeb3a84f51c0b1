// ARM template functions (src/formats/azure/arm-functions.ts, arm-hash.ts, arm-expressions.ts) against Microsoft's own examples.
//
// Each row of "Microsoft Learn examples" is an output of a sample template in Azure/azure-docs-json-samples
// (azure-resource-manager/functions/<file>.json at commit 82e0c6c2bba06ca5615d54751a6b3e67e171383f, MIT code
// licence), evaluated with the sample's own parameter defaults, and the value the template-functions-* page
// publishes for it. uniqueString() is pinned against values ARM returned (sources in arm-hash.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ArmEvaluator, ArmExpressionError, SUPPORTED_LIST, type ArmScope } from '../../src/formats/azure/arm-expressions.js';
import { uniqueStringOf as uniqueString } from '../../src/formats/azure/arm-hash.js';

const scope = (parameters: Record<string, unknown> = {}, variables: Record<string, unknown> = {}): ArmScope => ({
  parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { defaultValue: v }])),
  variables,
});
const ev = (expression: string, s: ArmScope = scope()) => new ArmEvaluator(s).evaluateString(expression);
const err = (expression: string, s: ArmScope = scope()) => {
  try {
    ev(expression, s);
  } catch (e) {
    expect(e).toBeInstanceOf(ArmExpressionError);
    return (e as Error).message;
  }
  throw new Error(`expected ${expression} to fail`);
};

type Row = [sample: string, expression: string, published: unknown, parameters?: Record<string, unknown>, variables?: Record<string, unknown>];

const OBJ = { one: 'a', two: 'b', three: 'c' };
const ARR = ['one', 'two', 'three'];
const COALESCE = { null1: null, null2: null, string: 'default', int: 1, object: { first: 'default' }, array: [1] };
const c = (p: string) => `parameters('objectToTest').${p}`;

const ROWS: Row[] = [
  // template-functions-string
  ['array/contains stringTrue', "[contains(parameters('s'), 'e')]", true, { s: 'OneTwoThree' }],
  ['array/contains stringFalse', "[contains(parameters('s'), 'z')]", false, { s: 'OneTwoThree' }],
  ['array/contains objectTrue', "[contains(parameters('o'), 'one')]", true, { o: OBJ }],
  ['array/contains objectFalse', "[contains(parameters('o'), 'a')]", false, { o: OBJ }],
  ['array/contains arrayTrue', "[contains(parameters('a'), 'three')]", true, { a: ARR }],
  ['array/contains arrayFalse', "[contains(parameters('a'), 'four')]", false, { a: ARR }],
  ['array/empty arrayEmpty', "[empty(parameters('a'))]", true, { a: [] }],
  ['array/empty objectEmpty', "[empty(parameters('o'))]", true, { o: {} }],
  ['array/empty stringEmpty', "[empty(parameters('s'))]", true, { s: '' }],
  ['array/first arrayOutput', "[first(parameters('a'))]", 'one', { a: ARR }],
  ['array/first stringOutput', "[first('One Two Three')]", 'O'],
  ['array/last arrayOutput', "[last(parameters('a'))]", 'three', { a: ARR }],
  ['array/last stringOutput', "[last('One Two Three')]", 'e'],
  ['array/length arrayLength', "[length(parameters('a'))]", 3, { a: ARR }],
  ['array/length stringLength', "[length(parameters('s'))]", 13, { s: 'One Two Three' }],
  ['array/length objectLength', "[length(parameters('o'))]", 4, { o: { propA: 'one', propB: 'two', propC: 'three', propD: { 'propD-1': 'sub', 'propD-2': 'sub' } } }],
  ['array/skip arrayOutput', "[skip(parameters('a'),parameters('n'))]", ['three'], { a: ARR, n: 2 }],
  ['array/skip stringOutput', "[skip(parameters('s'),parameters('n'))]", 'two three', { s: 'one two three', n: 4 }],
  ['array/take arrayOutput', "[take(parameters('a'),parameters('n'))]", ['one', 'two'], { a: ARR, n: 2 }],
  ['array/take stringOutput', "[take(parameters('s'),parameters('n'))]", 'on', { s: 'one two three', n: 2 }],
  ['array/createarray stringArray', "[createArray('a', 'b', 'c')]", ['a', 'b', 'c']],
  ['array/createarray intArray', '[createArray(1, 2, 3)]', [1, 2, 3]],
  ['array/createarray objectArray', "[createArray(parameters('o'))]", [OBJ], { o: OBJ }],
  ['array/createarray arrayArray', "[createArray(parameters('a'))]", [ARR], { a: ARR }],
  ['array/createarray emptyArray', '[createArray()]', []],
  ['string/replace firstOutput', "[replace(parameters('s'),'-', '')]", '1231231234', { s: '123-123-1234' }],
  ['string/replace secondOutput', "[replace(parameters('s'),'1234', 'xxxx')]", '123-123-xxxx', { s: '123-123-1234' }],
  ['string/split firstOutput', "[split(parameters('s'),',')]", ARR, { s: 'one,two,three' }],
  ['string/split secondOutput', "[split(parameters('s'),variables('d'))]", ARR, { s: 'one;two,three' }, { d: [',', ';'] }],
  ['string/startsendswith startsTrue', "[startsWith('abcdef', 'ab')]", true],
  ['string/startsendswith startsCapTrue', "[startsWith('abcdef', 'A')]", true],
  ['string/startsendswith startsFalse', "[startsWith('abcdef', 'e')]", false],
  ['string/startsendswith endsTrue', "[endsWith('abcdef', 'ef')]", true],
  ['string/startsendswith endsCapTrue', "[endsWith('abcdef', 'F')]", true],
  ['string/startsendswith endsFalse', "[endsWith('abcdef', 'e')]", false],
  ['string/indexof firstT', "[indexOf('test', 't')]", 0],
  ['string/indexof lastT', "[lastIndexOf('test', 't')]", 3],
  ['string/indexof firstString', "[indexOf('abcdef', 'CD')]", 2],
  ['string/indexof lastString', "[lastIndexOf('abcdef', 'AB')]", 0],
  ['string/indexof notFound', "[indexOf('abcdef', 'z')]", -1],
  ['string/padleft stringOutput', "[padLeft(parameters('s'),10,'0')]", '0000000123', { s: '123' }],
  ['string/string objectOutput', "[string(parameters('o'))]", '{"valueA":10,"valueB":"Example Text"}', { o: { valueA: 10, valueB: 'Example Text' } }],
  ['string/string arrayOutput', "[string(parameters('a'))]", '["a","b","c"]', { a: ['a', 'b', 'c'] }],
  ['string/string intOutput', "[string(parameters('i'))]", '5', { i: 5 }],
  ['string/substring substringOutput', "[substring(parameters('s'), 4, 3)]", 'two', { s: 'one two three' }],
  ['string/tolower toLowerOutput', "[toLower(parameters('s'))]", 'one two three', { s: 'One Two Three' }],
  ['string/tolower toUpperOutput', "[toUpper(parameters('s'))]", 'ONE TWO THREE', { s: 'One Two Three' }],
  ['string/trim return', "[trim(parameters('s'))]", 'one two three', { s: '    one two three   ' }],
  // template-functions-comparison
  ['comparison/coalesce stringOutput', `[coalesce(${c('null1')}, ${c('null2')}, ${c('string')})]`, 'default', { objectToTest: COALESCE }],
  ['comparison/coalesce intOutput', `[coalesce(${c('null1')}, ${c('null2')}, ${c('int')})]`, 1, { objectToTest: COALESCE }],
  ['comparison/coalesce objectOutput', `[coalesce(${c('null1')}, ${c('null2')}, ${c('object')})]`, { first: 'default' }, { objectToTest: COALESCE }],
  ['comparison/coalesce arrayOutput', `[coalesce(${c('null1')}, ${c('null2')}, ${c('array')})]`, [1], { objectToTest: COALESCE }],
  ['comparison/coalesce emptyOutput', `[empty(coalesce(${c('null1')}, ${c('null2')}))]`, true, { objectToTest: COALESCE }],
  ['comparison/equals checkInts', "[equals(parameters('a'), parameters('b') )]", true, { a: 1, b: 1 }],
  ['comparison/equals checkArrays', "[equals(parameters('a'), parameters('b'))]", true, { a: ['a', 'b'], b: ['a', 'b'] }],
  ['comparison/equals checkObjects', "[equals(parameters('a'), parameters('b'))]", true, { a: { a: 'b' }, b: { a: 'b' } }],
  ['comparison/greater checkInts', "[greater(parameters('a'), parameters('b') )]", false, { a: 1, b: 2 }],
  ['comparison/greater checkStrings', "[greater(parameters('a'), parameters('b'))]", true, { a: 'A', b: 'a' }],
  ['comparison/greaterorequals checkInts', "[greaterOrEquals(parameters('a'), parameters('b') )]", false, { a: 1, b: 2 }],
  ['comparison/greaterorequals checkStrings', "[greaterOrEquals(parameters('a'), parameters('b'))]", true, { a: 'A', b: 'a' }],
  ['comparison/less checkInts', "[less(parameters('a'), parameters('b') )]", true, { a: 1, b: 2 }],
  ['comparison/less checkStrings', "[less(parameters('a'), parameters('b'))]", false, { a: 'A', b: 'a' }],
  ['comparison/lessorequals checkInts', "[lessOrEquals(parameters('a'), parameters('b') )]", true, { a: 1, b: 2 }],
  ['comparison/lessorequals checkStrings', "[lessOrEquals(parameters('a'), parameters('b'))]", false, { a: 'A', b: 'a' }],
  // template-functions-logical
  ['logical/andornot andExampleOutput', "[and(bool('true'), bool('false'))]", false],
  ['logical/andornot orExampleOutput', "[or(bool('true'), bool('false'))]", true],
  ['logical/andornot notExampleOutput', "[not(bool('true'))]", false],
  ['logical/bool trueString', "[bool('true')]", true],
  ['logical/bool falseString', "[bool('false')]", false],
  ['logical/bool trueInt', '[bool(1)]', true],
  ['logical/bool falseInt', '[bool(0)]', false],
  ['logical/if yesOutput', "[if(equals('a', 'a'), 'yes', 'no')]", 'yes'],
  ['logical/if noOutput', "[if(equals('a', 'b'), 'yes', 'no')]", 'no'],
  ['logical/if objectOutput', `[if(equals('a', 'a'), json('{"test": "value1"}'), json('null'))]`, { test: 'value1' }],
  ['logical/not-equals checkNotEquals', '[not(equals(1, 2))]', true],
  // template-functions-numeric
  ['numeric/add addResult', "[add(parameters('a'), parameters('b'))]", 8, { a: 5, b: 3 }],
  ['numeric/sub subResult', "[sub(parameters('a'), parameters('b'))]", 4, { a: 7, b: 3 }],
  ['numeric/mul mulResult', "[mul(mul(parameters('a'), parameters('b')), 3)]", 45, { a: 5, b: 3 }],
  ['numeric/div divResult', "[div(parameters('a'), parameters('b'))]", 2, { a: 8, b: 3 }],
  ['numeric/mod modResult', "[mod(parameters('a'), parameters('b'))]", 1, { a: 7, b: 3 }],
  ['numeric/int intResult', "[int(parameters('s'))]", 4, { s: '4' }],
  ['numeric/max arrayOutput', "[max(parameters('a'))]", 5, { a: [0, 3, 2, 5, 4] }],
  ['numeric/max intOutput', '[max(0,3,2,5,4)]', 5],
  ['numeric/min arrayOutput', "[min(parameters('a'))]", 0, { a: [0, 3, 2, 5, 4] }],
  ['numeric/min intOutput', '[min(0,3,2,5,4)]', 0],
  // template-functions-object
  [
    'object/createobject newObject',
    "[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]",
    { intProp: 1, stringProp: 'abc', boolProp: true, arrayProp: ['a', 'b', 'c'], objectProp: { key1: 'value1' } },
  ],
  ['object/json emptyObjectOutput', "[empty(json(parameters('s')))]", true, { s: 'null' }],
  ['object/json objectOutput', "[json(parameters('s'))]", { a: 'b' }, { s: '{"a": "b"}' }],
  ['object/json stringOutput', "[json(parameters('s'))]", 'test', { s: '"test"' }],
  ['object/json booleanOutput', "[json(parameters('s'))]", true, { s: 'true' }],
  ['object/json intOutput', "[json(parameters('s'))]", 3, { s: '3' }],
  // The sample's default "[[1,2,3 ]" is the escaped literal "[1,2,3 ]".
  ['object/json arrayOutput', "[json(parameters('s'))]", [1, 2, 3], { s: '[[1,2,3 ]' }],
  ['object/json concatObjectOutput', `[json(concat('{"a": "', parameters('s'), '"}'))]`, { a: 'demo value' }, { s: 'demo value' }],
  ['object/null emptyOutput', '[empty(null())]', true],
];

describe('Microsoft Learn examples (Azure/azure-docs-json-samples), row by row', () => {
  it.each(ROWS)('%s', (_sample, expression, published, parameters, variables) => {
    expect(ev(expression, scope(parameters, variables))).toEqual(published);
  });
});

describe('uniqueString(): Microsoft MurmurHash64, pinned to values ARM returned', () => {
  // KingslandConsulting/Kingsland.ArmLinter src/Kingsland.ArmLinter/Functions/ArmFunctions.UniqueString.cs: outputs of
  // real deployments ("uniqueString(\"aaa\") => \"zavj67f3en4hc\"", …).
  // microsoft/commercial-marketplace-offer-deploy test/Tests/UnitTests/ArmFunctionsTests.cs: Azure.Deployments.Expression's result.
  it.each([
    [['aaa'], 'zavj67f3en4hc'],
    [['bbb'], 'w5eragfxe33cy'],
    [['zzz'], 'cryksdzzzawae'],
    [['xxx', 'yyy', 'zzz'], 'lghi7k5js7itq'],
    [['/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256/providers/Microsoft.Compute/virtualMachines/bobjacmodm201'], 'yvjxno3je5on2'],
  ])('uniqueString(%j) = %s', (args, published) => {
    expect(uniqueString(args)).toBe(published);
    expect(ev(`[uniqueString(${args.map((a) => `'${a}'`).join(', ')})]`)).toBe(published);
  });

  it('every tail length of the hash (0–7 bytes after the 8-byte blocks) gives 13 base-32 characters, and the arguments are joined by "-"', () => {
    for (let n = 0; n < 24; n++) expect(uniqueString(['x'.repeat(n)])).toMatch(/^[a-z2-7]{13}$/);
    expect(uniqueString(['xxx', 'yyy', 'zzz'])).toBe(uniqueString(['xxx-yyy-zzz']));
  });

  it('takes strings only, at least one', () => {
    expect(err('[uniqueString(1)]')).toContain('uniqueString() expects strings');
    expect(err('[uniqueString()]')).toContain('uniqueString() takes at least 1 argument');
  });
});

describe('semantics the pages state beyond their examples', () => {
  it('if() evaluates only the chosen value, as ARM does: the other may be unevaluable', () => {
    const s = scope({ on: true, off: false });
    expect(ev("[if(parameters('on'), 'a', parameters('missing'))]", s)).toBe('a');
    expect(ev("[if(parameters('off'), reference('x').id, 3)]", s)).toBe(3);
    expect(err("[if(parameters('on'), parameters('missing'), 'a')]", s)).toBe('the template has no parameter "missing"');
    expect(err("[if('yes', 1, 2)]")).toContain('if() needs a boolean condition');
    expect(err('[if(true, 1)]')).toContain('if() takes 3 arguments');
  });

  it('function names are case-insensitive, division by zero too: an ArmExpressionError, not a RangeError', () => {
    for (const e of ['[Div(1, 0)]', '[MOD(1, 0)]', '[div(1, 0)]']) expect(err(e)).toMatch(/cannot divide by zero/);
    expect(ev('[Div(7, 2)]')).toBe(3);
  });

  it('createObject() keeps "__proto__" as a key of its own, never as the prototype', () => {
    const o = ev("[createObject('__proto__', createObject('a', 1))]") as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(err("[createObject('a', 1, 'a', 2)]")).toContain('the key "a" is given twice');
  });

  it('string() makes Bicep capacities ("[string(parameters(\'x\'))]") strings', () => {
    expect(ev("[string(parameters('n'))]", scope({ n: 3 }))).toBe('3');
    expect(ev('[string(true())]')).toBe('True');
    expect(ev('[string(null())]')).toBe('');
    expect(ev("[format('a{0}b', null())]")).toBe('ab');
    expect(ev("[concat('a', null(), 'b')]")).toBe('ab');
  });

  it("integers: 64-bit, checked; div truncates toward zero, mod takes the dividend's sign (C# long)", () => {
    expect(ev('[div(-7, 2)]')).toBe(-3);
    expect(ev('[mod(-7, 2)]')).toBe(-1);
    expect(ev('[mod(7, -2)]')).toBe(1);
    expect(err('[div(1, 0)]')).toBe('div() cannot divide by zero');
    expect(err('[mul(4294967296, 4294967296)]')).toContain('beyond the integers edgescale computes exactly');
    expect(err("[add(1, '2')]")).toContain('add() expects integers, got a string');
    expect(ev("[int(' -12 ')]")).toBe(-12);
    expect(err("[int('1.5')]")).toContain('int() converts an integer or a string of digits');
    expect(ev("[float('2.5')]")).toBe(2.5);
  });

  it("substring() fails outside the string with the page's message; take/skip clamp", () => {
    expect(err("[substring('1234567890', 0, 11)]")).toContain('the index and length parameters must refer to a location within the string (index 0, length 11, string length 10)');
    expect(err("[substring('abc', 4)]")).toContain('the index 4 is outside');
    expect(ev("[substring('abc', 1)]")).toBe('bc');
    expect(ev("[take('abc', -1)]")).toBe('');
    expect(ev('[skip(createArray(1, 2), 5)]')).toEqual([]);
  });

  it('contains() on strings is case-sensitive; on object keys it is not', () => {
    expect(ev("[contains('OneTwo', 'one')]")).toBe(false);
    expect(ev("[contains(json('{\"Key\": 1}'), 'KEY')]")).toBe(true);
    expect(ev('[contains(createArray(1, 2), 2)]')).toBe(true);
  });

  it('equals() compares strings exactly and structures deeply (JToken.DeepEquals)', () => {
    expect(ev("[equals('demo', 'Demo')]")).toBe(false);
    expect(ev('[equals(json(\'{"a": [1, {"b": 2}]}\'), json(\'{"a": [1, {"b": 2}]}\'))]')).toBe(true);
    expect(ev('[equals(createArray(1, 2), createArray(2, 1))]')).toBe(false);
  });

  it("less()/greater() order letters, digits and spaces as .NET's invariant culture does, and refuse punctuation, whose order differs between Windows and ICU", () => {
    expect(ev("[less('apple', 'Banana')]")).toBe(true);
    expect(ev("[less('a', 'A')]")).toBe(true);
    expect(ev("[greater('item10', 'item9')]")).toBe(false);
    expect(err("[less('co-op', 'coop')]")).toContain('ordering strings with punctuation');
    expect(err("[less('a', 1)]")).toContain('compares two strings or two numbers');
  });

  it('replace() is refused where the case of a match would decide the result (undocumented), exact otherwise', () => {
    expect(ev("[replace('a-b-c', '-', '.')]")).toBe('a.b.c');
    expect(err("[replace('Web-web', 'web', 'x')]")).toContain('whether ARM replaces it is not documented');
  });

  it('and()/or() take at least two booleans and evaluate every argument', () => {
    expect(err('[and(true())]')).toContain('and() takes at least 2 arguments');
    expect(err("[or(true(), 'x')]")).toContain('or() expects booleans');
  });

  it('first()/last() of empty values; length() of null', () => {
    expect(ev('[first(createArray())]')).toBeNull();
    expect(ev("[last('')]")).toBe('');
    expect(ev('[length(null())]')).toBe(0);
  });

  it('json() reads strict JSON and is bounded; createObject refuses a repeated key', () => {
    expect(err(`[json('{''a'': 1}')]`)).toContain('is not JSON edgescale reads');
    expect(err(`[json('[${'0,'.repeat(10_001)}0]')]`)).toContain('more than 10000 parts');
    expect(err(`[json('${'['.repeat(5000)}${']'.repeat(5000)}')]`)).toContain('nested deeper than 64 levels');
    expect(err("[createObject('a', 1, 'a', 2)]")).toContain('the key "a" is given twice');
    expect(err("[createObject('a')]")).toContain('in pairs');
  });

  it('subscriptionResourceId() without a resource group (template-functions-resource)', () => {
    expect(ev("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]")).toBe(
      '/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    );
    expect(ev("[subscriptionResourceId('s1', 'Microsoft.Resources/resourceGroups', 'rg')]")).toBe('/subscriptions/s1/providers/Microsoft.Resources/resourceGroups/rg');
  });

  it('records when uniqueString() hashed the deployment scope (a placeholder hash), and not otherwise', () => {
    const e = new ArmEvaluator(scope({ n: 'web' }));
    e.evaluateString("[uniqueString(parameters('n'))]");
    expect(e.hashedScope).toBe(false);
    expect(e.evaluateScoped("[concat('x', uniqueString(resourceGroup().id))]")).toEqual({
      value: `x${uniqueString(['/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'])}`,
      scoped: true,
    });
    expect(e.hashedScope).toBe(true);
  });
});

describe('docs/importing.md', () => {
  const doc = readFileSync(new URL('../../docs/importing.md', import.meta.url), 'utf8');
  it.each(SUPPORTED_LIST.split(', '))('lists %s as supported', (name) => {
    expect(doc).toContain(`\`${name}`);
  });

  it('an unsupported function names itself and, for what Azure computes, says so', () => {
    expect(err("[reference('x').id]")).toBe(
      'the template function reference() is not supported: its value comes from Azure or the deployment (docs/importing.md lists the supported ones)',
    );
    expect(err("[listKeys('x', '2021-04-01').keys]")).toContain('its value comes from Azure or the deployment');
    expect(err("[guid('a')]")).toBe('the template function guid() is not supported (docs/importing.md lists the supported ones)');
  });
});
