import { z } from 'zod';
import { pageQuery, siret, uuid } from '../common.schema.js';
import {
  ficheChangePage,
  importJobView,
  importRunDetail,
  importRunPage,
  registryFicheDetail,
  registryFicheListQuery,
  registryFichePage,
  registryFindingPage,
  registryFindingQuery,
  runChangesQuery,
} from '../registry/registry.schema.js';
import { defineContract } from './contract.js';

/** A fiche code as written in a URL (`RNCP35419`, `rncp35419`, `RS5000`). */
const byCode = z.object({ code: z.string().trim().min(2).max(20) });

// Reading the registry is `certifier.read`: the certifier's own tool (its fiches, its declarations, the
// reconciliation), for its staff; partners and evaluators do not have it.
const byId = z.object({ id: uuid });

export const listRegistryFiches = defineContract({
  method: 'GET',
  path: '/api/registry/fiches',
  summary: 'Search the France Compétences registry (RNCP and RS fiches) by code, title or certifier',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  query: registryFicheListQuery,
  response: registryFichePage,
});

export const getRegistryFiche = defineContract({
  method: 'GET',
  path: '/api/registry/fiches/:code',
  summary: 'One fiche as last imported: its record, declared partners and latest changes',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  params: byCode,
  response: registryFicheDetail,
});

export const getRegistryFicheHistory = defineContract({
  method: 'GET',
  path: '/api/registry/fiches/:code/history',
  summary: 'What changed in a fiche from one import to the next, newest first',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  params: byCode,
  query: pageQuery,
  response: ficheChangePage,
});

export const listRegistryImportRuns = defineContract({
  method: 'GET',
  path: '/api/registry/import-runs',
  summary: 'The imports of France Compétences exports, newest first',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  query: pageQuery,
  response: importRunPage,
});

export const getRegistryImportRun = defineContract({
  method: 'GET',
  path: '/api/registry/import-runs/:id',
  summary: 'One import run with its summary, rejects and unknown elements',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  params: byId,
  response: importRunDetail,
});

export const listRegistryImportRunChanges = defineContract({
  method: 'GET',
  path: '/api/registry/import-runs/:id/changes',
  summary: 'What one import changed, fiche by fiche (new, changed fields, became inactive, partners)',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  params: byId,
  query: runChangesQuery,
  response: ficheChangePage,
});

export const listRegistryFindings = defineContract({
  method: 'GET',
  path: '/api/registry/findings',
  summary:
    'Reconciliation findings: partners declared to France Compétences vs habilitations recorded in Habilis',
  tags: ['registry'],
  access: 'session',
  action: 'certifier.read',
  query: registryFindingQuery,
  response: registryFindingPage,
});

export const registryUploadQuery = z.strictObject({
  /** The certifier's SIRET: its fiches become owned certifications (as `--certifier` on the command line). */
  certifierSiret: siret.optional(),
});

export const startRegistryImport = defineContract({
  method: 'POST',
  path: '/api/registry/imports',
  summary:
    'Upload a France Compétences export (multipart/form-data, one part `file`: the XML flow, a zip holding it, or the CSV bundle zip; at most 1 GiB) and import it in the background',
  tags: ['registry'],
  access: 'session',
  action: 'certification.manage',
  query: registryUploadQuery,
  response: importJobView,
  status: 201,
});

export const getRegistryImport = defineContract({
  method: 'GET',
  path: '/api/registry/imports/:id',
  summary: 'Progress of an uploaded import (bytes read, fiches), then its summary or its error',
  tags: ['registry'],
  access: 'session',
  action: 'certification.manage',
  params: byId,
  response: importJobView,
});
