import type { z } from 'zod';
import type {
  OrganisationView,
  organisationInput,
  organisationPatch,
  QualiopiStatus,
} from '../../../core/organisations/organisation.schema.js';

export const textFields = [
  'siret',
  'nda',
  'legalName',
  'tradeName',
  'addressLine',
  'postalCode',
  'city',
  'region',
  'email',
  'phone',
  'website',
  'notes',
] as const;
export type TextField = (typeof textFields)[number];

export type FormValues = Record<TextField, string> & {
  qualiopiStatus: QualiopiStatus;
  qualiopiCategories: string[];
  qualiopiExpiresOn: string | null;
};

export const formFields: readonly string[] = [
  ...textFields,
  'qualiopiStatus',
  'qualiopiCategories',
  'qualiopiExpiresOn',
];

export const emptyValues: FormValues = {
  siret: '',
  nda: '',
  legalName: '',
  tradeName: '',
  addressLine: '',
  postalCode: '',
  city: '',
  region: '',
  email: '',
  phone: '',
  website: '',
  notes: '',
  qualiopiStatus: 'unknown',
  qualiopiCategories: [],
  qualiopiExpiresOn: null,
};

export function valuesOf(o: OrganisationView): FormValues {
  return {
    siret: o.siret,
    nda: o.nda ?? '',
    legalName: o.legalName,
    tradeName: o.tradeName ?? '',
    addressLine: o.addressLine ?? '',
    postalCode: o.postalCode ?? '',
    city: o.city ?? '',
    region: o.region ?? '',
    email: o.email ?? '',
    phone: o.phone ?? '',
    website: o.website ?? '',
    notes: o.notes ?? '',
    qualiopiStatus: o.qualiopiStatus,
    qualiopiCategories: o.qualiopiCategories,
    qualiopiExpiresOn: o.qualiopiExpiresOn,
  };
}

/** The optional texts as the API wants them: left out on creation, null (cleared) on an update. */
function optionalTexts(values: FormValues, empty: undefined | null) {
  const pick = (v: string) => (v.trim() === '' ? empty : v.trim());
  return {
    nda: pick(values.nda),
    tradeName: pick(values.tradeName),
    addressLine: pick(values.addressLine),
    postalCode: pick(values.postalCode),
    city: pick(values.city),
    region: pick(values.region),
    email: pick(values.email),
    phone: pick(values.phone),
    website: pick(values.website),
    notes: values.notes.trim() === '' ? empty : values.notes,
  };
}

export const toCreateInput = (values: FormValues): z.input<typeof organisationInput> => ({
  siret: values.siret,
  legalName: values.legalName,
  ...optionalTexts(values, undefined),
  qualiopiStatus: values.qualiopiStatus,
  qualiopiCategories: values.qualiopiCategories as z.input<typeof organisationInput>['qualiopiCategories'],
  qualiopiExpiresOn: values.qualiopiExpiresOn ?? undefined,
});

export const toPatch = (values: FormValues): z.input<typeof organisationPatch> => ({
  legalName: values.legalName,
  ...optionalTexts(values, null),
  qualiopiStatus: values.qualiopiStatus,
  qualiopiCategories: values.qualiopiCategories as z.input<typeof organisationPatch>['qualiopiCategories'],
  qualiopiExpiresOn: values.qualiopiExpiresOn,
});

/** `31/12/2026` (as French users type it) or `2026-12-31` → `2026-12-31`. */
export function parseTypedDate(input: string): string | null {
  const fr = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(input);
  if (fr) return `${fr[3]}-${fr[2]?.padStart(2, '0')}-${fr[1]?.padStart(2, '0')}`;
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(input);
  return iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : null;
}
