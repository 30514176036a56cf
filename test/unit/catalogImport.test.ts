import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CsvSyntaxError, parseCsv } from '../../integrations/erp/csv';
import { matchCatalog, parseCatalogCsv, parseCatalogJson, parseUnits } from '../../integrations/erp/catalogExport';

describe('RFC 4180 CSV reader', () => {
  test('quoted fields hold commas, doubled quotes and line breaks; CRLF and LF both end records', () => {
    const rows = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3');
    assert.deepEqual(rows, [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, fields: ['1', '', '3'] },
    ]);
  });

  test('a trailing newline adds no record; an empty trailing field is kept', () => {
    assert.deepEqual(parseCsv('a,b\n1,\n'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', ''] },
    ]);
  });

  test('quoted fields hold the delimiter and doubled quotes', () => {
    assert.deepEqual(parseCsv('a,b\n"x, y","say ""hi"""'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
    ]);
  });

  test('a UTF-8 byte order mark is not part of the first column name', () => {
    assert.deepEqual(parseCsv('\uFEFFseller_sku,parent_key\nA,P')[0], {
      line: 1,
      fields: ['seller_sku', 'parent_key'],
    });
  });

  test('CRLF ends records like LF, and lines are counted the same', () => {
    assert.deepEqual(parseCsv('a,b\r\n1,2\r\n\r\n3,4\r\n'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]);
  });

  test('a line break inside a quoted field stays in the field; the next record keeps its own line number', () => {
    assert.deepEqual(parseCsv('a,b\n"two\nlines","three\r\nmore\nlines"\nx,y'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['two\nlines', 'three\r\nmore\nlines'] },
      { line: 6, fields: ['x', 'y'] },
    ]);
  });

  test('rows with more or fewer fields than the header are returned for the catalog to report', () => {
    assert.deepEqual(
      parseCsv('a,b\n1\n1,2,3').map((r) => r.fields.length),
      [2, 1, 3],
    );
  });

  test('malformed quoting is an error with its line', () => {
    assert.throws(
      () => parseCsv('a,b\n1,x"y'),
      (e: unknown) => e instanceof CsvSyntaxError && e.line === 2,
    );
    assert.throws(
      () => parseCsv('a\nb\n"open'),
      (e: unknown) => e instanceof CsvSyntaxError && e.line === 3 && /unterminated/.test(e.message),
    );
    assert.throws(() => parseCsv('a\n"x"y'), /after a closing quote/);
  });
});

describe('ERP catalog export (CSV)', () => {
  const csv = [
    'type,parent_key,seller_sku,title,safety_buffer,color,size',
    'parent,SERUM,,Glow Serum,,,',
    'variant,SERUM,SERUM-30,,3,,30ml',
    'variant,SERUM,SERUM-50,,,,50ml',
    'variant,SERUM,SERUM-50,,,,50ml', // identical duplicate
    'variant,GHOST,GHOST-1,,,,', // missing parent
    'variant,SERUM,SERUM-X,,-1,,', // bad number
    'variant,SERUM,SERUM-Y,,2.5,,', // bad number
    'variant,SERUM,,,,,', // missing seller_sku
    'variant,SERUM,SERUM-Z,,1', // wrong column count
    'parent,LIP,,Lip Tint,,red,',
    'variant,LIP,LIP-RED,,0,,',
    'variant,LIP,LIP-DUP,,1,,',
    'variant,LIP,LIP-DUP,,2,,', // conflicting duplicate
    'bundle,LIP,LIP-B,,,,', // bad type
    'parent,LIP,,Again,,,', // duplicate parent
  ].join('\n');

  test('variants inherit the parent title and attributes; every other row is reported with its line', () => {
    const r = parseCatalogCsv(csv);
    assert.deepEqual(
      r.variants.map((v) => [v.sellerSku, v.parentKey, v.title, v.safetyBuffer, v.attributes]),
      [
        ['SERUM-30', 'SERUM', 'Glow Serum', 3, { size: '30ml' }],
        ['SERUM-50', 'SERUM', 'Glow Serum', null, { size: '50ml' }],
        ['LIP-RED', 'LIP', 'Lip Tint', 0, { color: 'red' }],
      ],
    );
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.code]),
      [
        ['line 5', 'duplicate_row'],
        ['line 6', 'missing_parent'],
        ['line 7', 'bad_number'],
        ['line 8', 'bad_number'],
        ['line 9', 'missing_field'],
        ['line 10', 'bad_row'],
        ['line 13', 'conflicting_duplicate'],
        ['line 14', 'conflicting_duplicate'],
        ['line 15', 'invalid_value'],
        ['line 16', 'duplicate_parent'],
      ],
    );
    // Nothing is skipped silently: 12 variant rows = 3 imported + 9 reported rows (parent rows are not counted).
    assert.equal(r.rowsTotal, 12);
    const reportedVariantRows = new Set(r.errors.filter((e) => e.code !== 'duplicate_parent').map((e) => e.row));
    assert.equal(r.variants.length + reportedVariantRows.size, r.rowsTotal);
  });

  test('without a type column every row is a variant grouped by parent_key', () => {
    const r = parseCatalogCsv('parent_key,seller_sku,color\nP1,A-1,blue\nP1,A-2,\n');
    assert.deepEqual(
      r.variants.map((v) => [v.sellerSku, v.attributes]),
      [
        ['A-1', { color: 'blue' }],
        ['A-2', {}],
      ],
    );
    assert.deepEqual(r.errors, []);
  });

  test('a BOM, CRLF and a title spanning lines: the report still names each row by the line it starts on', () => {
    const r = parseCatalogCsv(
      '\uFEFFparent_key,seller_sku,title,safety_buffer\r\nP,A-1,"Glow\r\nSerum, 30 ml",1\r\nP,A-2,Tint,-3\r\n',
    );
    assert.deepEqual(
      r.variants.map((v) => [v.sellerSku, v.title]),
      [['A-1', 'Glow\r\nSerum, 30 ml']],
    );
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.code]),
      [['line 4', 'bad_number']],
    );
  });

  test('a missing required column or broken quoting rejects the document as a whole', () => {
    assert.equal(parseCatalogCsv('sku,color\nA,b').errors[0]!.code, 'parse_error');
    assert.match(parseCatalogCsv('sku,color\nA,b').errors[0]!.message, /seller_sku, parent_key/);
    assert.equal(parseCatalogCsv('parent_key,seller_sku\n"P,A').errors[0]!.code, 'parse_error');
  });
});

describe('ERP catalog export (JSON)', () => {
  test('nested variants and flat variants that name a parent; bad rows reported with their path', () => {
    const r = parseCatalogJson({
      products: [
        {
          parentKey: 'TEE',
          title: 'Tee',
          attributes: { material: 'cotton' },
          variants: [
            { sellerSku: 'TEE-S', safetyBuffer: 1, attributes: { size: 'S' } },
            { sellerSku: 'TEE-M', safetyBuffer: '4' },
            { sellerSku: 'TEE-L', safetyBuffer: 'many' },
            { safetyBuffer: 1 },
          ],
        },
        { title: 'no key', variants: [{ sellerSku: 'X-1' }] },
      ],
      variants: [
        { parentKey: 'TEE', sellerSku: 'TEE-XL' },
        { parentKey: 'NOPE', sellerSku: 'NOPE-1' },
        { parentKey: 'TEE', sellerSku: 'TEE S' },
      ],
    });
    assert.deepEqual(
      r.variants.map((v) => [v.sellerSku, v.safetyBuffer, v.attributes]),
      [
        ['TEE-S', 1, { material: 'cotton', size: 'S' }],
        ['TEE-M', 4, { material: 'cotton' }],
        ['TEE-XL', null, { material: 'cotton' }],
      ],
    );
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.code]),
      [
        ['products[0].variants[2]', 'bad_number'],
        ['products[0].variants[3]', 'missing_field'],
        ['products[1]', 'missing_field'],
        ['variants[1]', 'missing_parent'],
        ['variants[2]', 'invalid_value'],
      ],
    );
    assert.equal(r.rowsTotal, 8);
  });

  test('a document that is not a catalog is one parse error', () => {
    assert.equal(parseCatalogJson('hello').errors[0]!.code, 'parse_error');
  });
});

test('units: whole, non-negative, bounded', () => {
  assert.equal(parseUnits('12', 100), 12);
  assert.equal(parseUnits(' 0 ', 100), 0);
  for (const bad of ['-1', '1.5', '1e3', '', 'x', 101, -2, 2.5])
    assert.equal(parseUnits(bad, 100), undefined, String(bad));
});

test('matching by seller_sku: unknown and ambiguous seller_skus are reported, the rest get product and SKU ids', () => {
  const { variants } = parseCatalogCsv('parent_key,seller_sku\nP,A\nP,B\nP,C\n');
  const { matched, errors } = matchCatalog(variants, [
    { productId: 'p1', skuId: 's1', sellerSku: 'A', warehouseIds: ['w1', 'w2'] },
    { productId: 'p1', skuId: 's2', sellerSku: 'B', warehouseIds: ['w1'] },
    { productId: 'p2', skuId: 's3', sellerSku: 'B', warehouseIds: ['w1'] },
  ]);
  assert.deepEqual(
    matched.map((m) => [m.sellerSku, m.productId, m.skuId, m.warehouseIds]),
    [['A', 'p1', 's1', ['w1', 'w2']]],
  );
  assert.deepEqual(
    errors.map((e) => [e.row, e.code]),
    [
      ['line 3', 'ambiguous_seller_sku'],
      ['line 4', 'unknown_seller_sku'],
    ],
  );
});
