export { lpofColumns, lpofSpec } from './columns.js';
export { mapLpofRow } from './map.js';
export { type LpofParseOptions, parseLpof, parseLpofFile } from './parse.js';
