// The catalog import's input and result (no signals, queries or updates: the import report row shows progress).

export interface CatalogImportInput {
  shopId: string;
  /** Row of catalog_import_reports holding the uploaded document (kept out of the history). */
  importId: string;
}

export interface CatalogImportResult {
  rowsTotal: number;
  rowsImported: number;
  rowsRejected: number;
}
