export * from './columns.js';
export * from './decode.js';
export * from './identity.js';
export * from './map.js';
export * from './read-table.js';
export * from './template.js';
