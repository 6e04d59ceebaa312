export * as audit from './audit.js';
export * as auth from './auth.js';
export * from './contract.js';
export * as organisations from './organisations.js';
export * as system from './system.js';
export * as users from './users.js';
