import { z } from 'zod';

/**
 * The certifier's settings for the chain (one set per instance): the identifiers the Caisse des Dépôts
 * gave it for the accrochage (docs/formats/accrochage.md, « Certifier settings »), and the rule that a
 * candidate is assessed only once the training prepared for the certification has ended.
 */

/** The 8-character idClient (« code BCR ») the CDC gives a certifier or a trusted third party. */
export const cdcClientId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{8}$/, 'must be the 8-character idClient given by the CDC (e.g. 03VML243)');

/** The idContrat the CDC gives with the idClient (e.g. MCFCER000209). */
export const cdcContractId = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,20}$/, 'must be the idContrat given by the CDC (1 to 20 letters or digits)');

/** A change to the settings: only the fields given change; null clears an identifier. */
export const certifierSettingsInput = z
  .strictObject({
    cdcClientId: cdcClientId.nullable(),
    cdcContractId: cdcContractId.nullable(),
    /** A trusted third party (tiers de confiance) depositing the files for the certifier: its idClient. */
    cdcDepositorClientId: cdcClientId.nullable(),
    /** When true, a candidate is registered for an assessment only after the end of its training. */
    assessmentAfterTraining: z.boolean(),
  })
  .partial();
export type CertifierSettingsInput = z.output<typeof certifierSettingsInput>;

export const certifierSettingsView = z.object({
  cdcClientId: z.string().nullable(),
  cdcContractId: z.string().nullable(),
  cdcDepositorClientId: z.string().nullable(),
  assessmentAfterTraining: z.boolean(),
  /** Null until the settings are first saved. */
  updatedAt: z.iso.datetime().nullable(),
  updatedBy: z.string().nullable(),
});
export type CertifierSettingsView = z.infer<typeof certifierSettingsView>;

/** The settings of an instance where nobody has saved any yet. */
export const defaultCertifierSettings: CertifierSettingsView = {
  cdcClientId: null,
  cdcContractId: null,
  cdcDepositorClientId: null,
  assessmentAfterTraining: false,
  updatedAt: null,
  updatedBy: null,
};
