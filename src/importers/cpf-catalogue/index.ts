export { cpfCatalogueColumns, cpfCatalogueSpec } from './columns.js';
export { mapCpfOfferRow, modalityOf } from './map.js';
export { type CpfCatalogueParseOptions, parseCpfCatalogue, parseCpfCatalogueFile } from './parse.js';
