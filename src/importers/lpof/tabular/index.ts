/**
 * The reading layer shared by the LPOF and CPF catalogue importers: encoding detection, CSV and JSON
 * streaming, value normalisers, the import loop. Kept in the LPOF folder until importers get a common one.
 */
export * from './import-item.js';
export * from './json-records.js';
export * from './run-import.js';
export * from './table-reader.js';
export * from './text-decoder.js';
export * from './values.js';
