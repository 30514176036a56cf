// The ERP catalog export (parent products with child variants and attributes), as CSV or JSON, turned into
// variants keyed by seller_sku with a per-row error report, then matched to the shop's TikTok SKUs.
// Nothing is skipped silently: every row that is not imported has an entry in `errors`.
import { z } from 'zod';
import { CsvSyntaxError, parseCsv } from './csv';

export type CatalogRowErrorCode =
  | 'parse_error'
  | 'bad_row'
  | 'missing_field'
  | 'invalid_value'
  | 'bad_number'
  | 'missing_parent'
  | 'duplicate_parent'
  | 'duplicate_row'
  | 'conflicting_duplicate'
  | 'unknown_seller_sku'
  | 'ambiguous_seller_sku';

export interface CatalogRowError {
  /** Where: `line 7` (CSV) or `products[0].variants[2]` (JSON). */
  row: string;
  sellerSku?: string;
  code: CatalogRowErrorCode;
  message: string;
}

export interface CatalogVariant {
  row: string;
  parentKey: string;
  sellerSku: string;
  title: string | null;
  /** null: the policy default applies. */
  safetyBuffer: number | null;
  attributes: Record<string, string>;
}

export interface ParsedCatalog {
  /** Variant rows seen (parent rows are not counted: they are not imported by themselves). */
  rowsTotal: number;
  variants: CatalogVariant[];
  errors: CatalogRowError[];
}

/** TikTok's seller_sku is 1-50 characters (Get Product, https://partner.tiktokshop.com/docv2/page/6509d85b4a0bb702c057fdda). */
export const MAX_SELLER_SKU_LENGTH = 50;
export const MAX_SAFETY_BUFFER = 99_999;

const RESERVED_COLUMNS = new Set(['type', 'parent_key', 'seller_sku', 'title', 'safety_buffer']);

/** A whole, non-negative number of units (a string from a CSV cell or an ERP's JSON); undefined when it is not. */
export function parseUnits(raw: unknown, max: number): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 && raw <= max ? raw : undefined;
  if (typeof raw !== 'string' || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw.trim());
  return n <= max ? n : undefined;
}

function checkSellerSku(row: string, sellerSku: string): CatalogRowError | undefined {
  if (sellerSku.length > MAX_SELLER_SKU_LENGTH || /\s/.test(sellerSku)) {
    return {
      row,
      sellerSku,
      code: 'invalid_value',
      message: `seller_sku must be 1-${MAX_SELLER_SKU_LENGTH} characters without spaces`,
    };
  }
  return undefined;
}

/** Keeps the first of identical duplicates (the rest reported); rejects every copy of a seller_sku that disagrees. */
function dedupe(variants: CatalogVariant[], errors: CatalogRowError[]): CatalogVariant[] {
  const bySku = new Map<string, CatalogVariant[]>();
  for (const v of variants) bySku.set(v.sellerSku, [...(bySku.get(v.sellerSku) ?? []), v]);
  const out: CatalogVariant[] = [];
  const fingerprint = (v: CatalogVariant) =>
    JSON.stringify([v.parentKey, v.title, v.safetyBuffer, Object.entries(v.attributes).sort()]);
  const same = (a: CatalogVariant, b: CatalogVariant) => fingerprint(a) === fingerprint(b);
  for (const [sellerSku, copies] of bySku) {
    const [first, ...rest] = copies as [CatalogVariant, ...CatalogVariant[]];
    if (rest.length === 0) {
      out.push(first);
    } else if (rest.every((r) => same(first, r))) {
      out.push(first);
      for (const r of rest) {
        errors.push({
          row: r.row,
          sellerSku,
          code: 'duplicate_row',
          message: `repeats ${first.row}; imported once from ${first.row}`,
        });
      }
    } else {
      for (const r of copies) {
        errors.push({
          row: r.row,
          sellerSku,
          code: 'conflicting_duplicate',
          message: `seller_sku appears with different values on ${copies.map((c) => c.row).join(', ')}; none imported`,
        });
      }
    }
  }
  return out;
}

/**
 * CSV: a header row with `seller_sku` and `parent_key`, optionally `type` (`parent` | `variant`), `title` and
 * `safety_buffer`; every other column is an attribute (`color`, `size`, …). With a `type` column, parent rows
 * carry the title and shared attributes and every variant must name an existing parent; without one, every row is
 * a variant and `parent_key` groups them.
 */
export function parseCatalogCsv(text: string): ParsedCatalog {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    const line = err instanceof CsvSyntaxError ? `line ${err.line}` : 'document';
    return {
      rowsTotal: 0,
      variants: [],
      errors: [{ row: line, code: 'parse_error', message: (err as Error).message }],
    };
  }
  const [header, ...rows] = records;
  if (!header)
    return {
      rowsTotal: 0,
      variants: [],
      errors: [{ row: 'document', code: 'parse_error', message: 'empty document' }],
    };
  const columns = header.fields.map((f) => f.trim());
  const lower = columns.map((c) => c.toLowerCase());
  const dupColumn = lower.find((c, i) => lower.indexOf(c) !== i);
  const missingColumns = ['seller_sku', 'parent_key'].filter((c) => !lower.includes(c));
  if (dupColumn !== undefined || missingColumns.length > 0 || lower.some((c) => c === '')) {
    const message =
      dupColumn !== undefined
        ? `column ${dupColumn} appears twice`
        : missingColumns.length > 0
          ? `missing column(s): ${missingColumns.join(', ')}`
          : 'a column has no name';
    return {
      rowsTotal: rows.length,
      variants: [],
      errors: [{ row: `line ${header.line}`, code: 'parse_error', message }],
    };
  }
  const col = (fields: string[], name: string) => {
    const i = lower.indexOf(name);
    return i < 0 ? '' : (fields[i] ?? '').trim();
  };
  const hasType = lower.includes('type');
  const errors: CatalogRowError[] = [];
  const parents = new Map<string, { row: string; title: string | null; attributes: Record<string, string> }>();
  const pending: { row: string; fields: string[] }[] = [];
  let rowsTotal = 0;

  const attributesOf = (fields: string[]) => {
    const attributes: Record<string, string> = {};
    columns.forEach((name, i) => {
      const value = (fields[i] ?? '').trim();
      if (!RESERVED_COLUMNS.has(lower[i]!) && value !== '') attributes[name] = value;
    });
    return attributes;
  };

  for (const record of rows) {
    const row = `line ${record.line}`;
    const type = hasType ? col(record.fields, 'type').toLowerCase() || 'variant' : 'variant';
    if (type !== 'parent') rowsTotal++;
    if (record.fields.length !== columns.length) {
      errors.push({
        row,
        sellerSku: col(record.fields, 'seller_sku') || undefined,
        code: 'bad_row',
        message: `${record.fields.length} fields where the header has ${columns.length}`,
      });
      continue;
    }
    if (type !== 'parent' && type !== 'variant') {
      errors.push({ row, code: 'invalid_value', message: `type must be "parent" or "variant", not "${type}"` });
      continue;
    }
    const parentKey = col(record.fields, 'parent_key');
    if (type === 'parent') {
      if (!parentKey) {
        errors.push({ row, code: 'missing_field', message: 'a parent row needs parent_key' });
      } else if (parents.has(parentKey)) {
        errors.push({
          row,
          code: 'duplicate_parent',
          message: `parent ${parentKey} is already defined on ${parents.get(parentKey)!.row}; this row is ignored`,
        });
      } else {
        parents.set(parentKey, {
          row,
          title: col(record.fields, 'title') || null,
          attributes: attributesOf(record.fields),
        });
      }
      continue;
    }
    pending.push({ row, fields: record.fields });
  }

  const variants: CatalogVariant[] = [];
  for (const { row, fields } of pending) {
    const sellerSku = col(fields, 'seller_sku');
    const parentKey = col(fields, 'parent_key');
    if (!sellerSku) {
      errors.push({ row, code: 'missing_field', message: 'seller_sku is empty' });
      continue;
    }
    const skuError = checkSellerSku(row, sellerSku);
    if (skuError) {
      errors.push(skuError);
      continue;
    }
    if (!parentKey) {
      errors.push({ row, sellerSku, code: 'missing_field', message: 'parent_key is empty' });
      continue;
    }
    const parent = parents.get(parentKey);
    if (hasType && !parent) {
      errors.push({ row, sellerSku, code: 'missing_parent', message: `no parent row with parent_key ${parentKey}` });
      continue;
    }
    const rawBuffer = col(fields, 'safety_buffer');
    const safetyBuffer = rawBuffer === '' ? null : parseUnits(rawBuffer, MAX_SAFETY_BUFFER);
    if (safetyBuffer === undefined) {
      errors.push({
        row,
        sellerSku,
        code: 'bad_number',
        message: `safety_buffer "${rawBuffer}" is not a whole number of units in [0, ${MAX_SAFETY_BUFFER}]`,
      });
      continue;
    }
    variants.push({
      row,
      parentKey,
      sellerSku,
      title: col(fields, 'title') || parent?.title || null,
      safetyBuffer,
      attributes: { ...parent?.attributes, ...attributesOf(fields) },
    });
  }
  return { rowsTotal, variants: dedupe(variants, errors), errors: sortCatalogErrors(errors) };
}

const attributeValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const attributesSchema = z.record(z.string().min(1), attributeValue).optional().default({});
const variantSchema = z.looseObject({
  sellerSku: z.string().trim().min(1),
  parentKey: z.string().trim().min(1).optional(),
  title: z.string().optional(),
  safetyBuffer: z.unknown().optional(),
  attributes: attributesSchema,
});
const productSchema = z.looseObject({
  parentKey: z.string().trim().min(1),
  title: z.string().optional(),
  attributes: attributesSchema,
  variants: z.array(z.unknown()).optional().default([]),
});
const documentSchema = z.union([
  z.array(z.unknown()).transform((products) => ({ products, variants: [] as unknown[] })),
  z.looseObject({
    products: z.array(z.unknown()).optional().default([]),
    variants: z.array(z.unknown()).optional().default([]),
  }),
]);

const issuesText = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');

/**
 * JSON: `{products: [{parentKey, title?, attributes?, variants: [{sellerSku, safetyBuffer?, attributes?}]}]}` (or
 * the bare array), and optionally flat `variants: [{parentKey, sellerSku, …}]` that must name a product's parentKey.
 */
export function parseCatalogJson(doc: unknown): ParsedCatalog {
  const parsedDoc = documentSchema.safeParse(doc);
  if (!parsedDoc.success) {
    return {
      rowsTotal: 0,
      variants: [],
      errors: [
        { row: 'document', code: 'parse_error', message: `expected {products: [...]}: ${issuesText(parsedDoc.error)}` },
      ],
    };
  }
  const errors: CatalogRowError[] = [];
  const variants: CatalogVariant[] = [];
  const parents = new Map<string, { row: string; title: string | null; attributes: Record<string, string> }>();
  let rowsTotal = 0;
  const nested: { row: string; raw: unknown; parentKey: string }[] = [];

  parsedDoc.data.products.forEach((raw, i) => {
    const row = `products[${i}]`;
    const product = productSchema.safeParse(raw);
    if (!product.success) {
      const count = Array.isArray((raw as { variants?: unknown })?.variants)
        ? (raw as { variants: unknown[] }).variants.length
        : 1;
      rowsTotal += Math.max(count, 1);
      errors.push({ row, code: 'missing_field', message: `invalid product: ${issuesText(product.error)}` });
      return;
    }
    const { parentKey } = product.data;
    if (parents.has(parentKey)) {
      rowsTotal += product.data.variants.length;
      errors.push({
        row,
        code: 'duplicate_parent',
        message: `parentKey ${parentKey} is already defined at ${parents.get(parentKey)!.row}; its ${product.data.variants.length} variant(s) are not imported`,
      });
      return;
    }
    parents.set(parentKey, { row, title: product.data.title ?? null, attributes: product.data.attributes });
    product.data.variants.forEach((v, j) => nested.push({ row: `${row}.variants[${j}]`, raw: v, parentKey }));
  });
  parsedDoc.data.variants.forEach((raw, i) => {
    const parentKey = (raw as { parentKey?: unknown })?.parentKey;
    nested.push({ row: `variants[${i}]`, raw, parentKey: typeof parentKey === 'string' ? parentKey.trim() : '' });
  });

  for (const { row, raw, parentKey } of nested) {
    rowsTotal++;
    const v = variantSchema.safeParse(raw);
    if (!v.success) {
      errors.push({ row, code: 'missing_field', message: issuesText(v.error) });
      continue;
    }
    const sellerSku = v.data.sellerSku;
    const skuError = checkSellerSku(row, sellerSku);
    if (skuError) {
      errors.push(skuError);
      continue;
    }
    if (!parentKey) {
      errors.push({ row, sellerSku, code: 'missing_field', message: 'parentKey is missing' });
      continue;
    }
    const parent = parents.get(parentKey);
    if (!parent) {
      errors.push({ row, sellerSku, code: 'missing_parent', message: `no product with parentKey ${parentKey}` });
      continue;
    }
    const raw_ = v.data.safetyBuffer;
    const safetyBuffer =
      raw_ === undefined || raw_ === null || raw_ === '' ? null : parseUnits(raw_, MAX_SAFETY_BUFFER);
    if (safetyBuffer === undefined) {
      errors.push({
        row,
        sellerSku,
        code: 'bad_number',
        message: `safetyBuffer ${JSON.stringify(raw_)} is not a whole number of units in [0, ${MAX_SAFETY_BUFFER}]`,
      });
      continue;
    }
    variants.push({
      row,
      parentKey,
      sellerSku,
      title: v.data.title ?? parent.title,
      safetyBuffer,
      attributes: { ...parent.attributes, ...v.data.attributes },
    });
  }
  return { rowsTotal, variants: dedupe(variants, errors), errors: sortCatalogErrors(errors) };
}

/** A stored or uploaded document in its format (`csv` or `json`); JSON that does not parse is one `parse_error`. */
export function parseCatalogDocument(format: string, source: string): ParsedCatalog {
  if (format === 'csv') return parseCatalogCsv(source);
  try {
    return parseCatalogJson(JSON.parse(source));
  } catch (err) {
    return {
      rowsTotal: 0,
      variants: [],
      errors: [{ row: 'document', code: 'parse_error', message: (err as Error).message }],
    };
  }
}

/** Report order: CSV lines in order, then JSON paths. */
export function sortCatalogErrors(errors: CatalogRowError[]): CatalogRowError[] {
  const key = (r: string) => {
    const m = /^line (\d+)$/.exec(r);
    return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
  };
  return [...errors].sort((a, b) => key(a.row) - key(b.row) || (a.row < b.row ? -1 : a.row > b.row ? 1 : 0));
}

/** A SKU as TikTok lists it for the shop (Search Products / Get Product). */
export interface TikTokSkuRef {
  productId: string;
  skuId: string;
  sellerSku: string;
  warehouseIds: string[];
  productTitle?: string;
}

export interface MatchedVariant extends CatalogVariant {
  productId: string;
  skuId: string;
  warehouseIds: string[];
}

/** Matches variants to TikTok SKUs by seller_sku; unknown and ambiguous ones go to the report. */
export function matchCatalog(
  variants: CatalogVariant[],
  tiktokSkus: TikTokSkuRef[],
): { matched: MatchedVariant[]; errors: CatalogRowError[] } {
  const bySku = new Map<string, TikTokSkuRef[]>();
  for (const s of tiktokSkus) bySku.set(s.sellerSku, [...(bySku.get(s.sellerSku) ?? []), s]);
  const matched: MatchedVariant[] = [];
  const errors: CatalogRowError[] = [];
  for (const v of variants) {
    const refs = bySku.get(v.sellerSku) ?? [];
    if (refs.length === 0) {
      errors.push({
        row: v.row,
        sellerSku: v.sellerSku,
        code: 'unknown_seller_sku',
        message: `no TikTok SKU of this shop has seller_sku ${v.sellerSku}`,
      });
    } else if (refs.length > 1) {
      errors.push({
        row: v.row,
        sellerSku: v.sellerSku,
        code: 'ambiguous_seller_sku',
        message: `seller_sku ${v.sellerSku} is used by ${refs.length} TikTok SKUs (${refs.map((r) => `${r.productId}/${r.skuId}`).join(', ')})`,
      });
    } else {
      const ref = refs[0]!;
      matched.push({ ...v, productId: ref.productId, skuId: ref.skuId, warehouseIds: ref.warehouseIds });
    }
  }
  return { matched, errors };
}
