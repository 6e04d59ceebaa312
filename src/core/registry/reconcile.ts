import type { HabilitationScope } from '../habilitations/habilitation.js';
import { effectiveHabilitationStatuses, type HabilitationStatus } from '../habilitations/lifecycle.js';
import type { HabilitationType } from './normalise.js';

/**
 * Reconciliation of the partners a certifier declared to France Compétences with the habilitations it
 * recorded in Habilis, for the certifications it owns. Each difference becomes one finding draft with a
 * stable subject key (`<fiche>:<siret>`), so that a re-import updates the open finding instead of opening
 * another, and closes it when the difference is gone:
 *
 * - `registry.declared_unknown`: declared (state Actif, or listed without state by the CSV bundle) but no
 *   habilitation in force in Habilis (unknown organisation, or no active habilitation);
 * - `registry.not_declared`: a habilitation in force in Habilis that France Compétences does not list
 *   (the Caisse des Dépôts blocks the partner's CPF offers);
 * - `registry.type_mismatch`: both sides know the partner, with other rights (Habilis scope train ↔
 *   HABILITATION_FORMER, evaluate ↔ HABILITATION_ORGANISER, both ↔ HABILITATION_ORGA_FORM);
 * - `registry.declared_on_inactive`: a partner declared active on a fiche that is no longer active.
 */

export const reconciliationRules = [
  'registry.declared_unknown',
  'registry.not_declared',
  'registry.type_mismatch',
  'registry.declared_on_inactive',
] as const;
export type ReconciliationRule = (typeof reconciliationRules)[number];

/** The scope of Habilis that matches each France Compétences habilitation type. */
export const scopeOfHabilitationType: Record<HabilitationType, HabilitationScope> = {
  HABILITATION_FORMER: 'train',
  HABILITATION_ORGANISER: 'evaluate',
  HABILITATION_ORGA_FORM: 'both',
};

export const habilitationTypeOfScope: Record<HabilitationScope, HabilitationType> = {
  train: 'HABILITATION_FORMER',
  evaluate: 'HABILITATION_ORGANISER',
  both: 'HABILITATION_ORGA_FORM',
};

/** The union of several scopes (train + evaluate = both). */
export function combineScopes(scopes: readonly HabilitationScope[]): HabilitationScope | null {
  let train = false;
  let evaluate = false;
  for (const s of scopes) {
    if (s === 'train' || s === 'both') train = true;
    if (s === 'evaluate' || s === 'both') evaluate = true;
  }
  return train && evaluate ? 'both' : train ? 'train' : evaluate ? 'evaluate' : null;
}

export interface DeclaredPartnerLine {
  siret: string | null;
  name: string;
  habilitationType: HabilitationType;
  state: string | null;
  line: number;
}

/** One owned fiche as read from the export, with its working-copy certification. */
export interface OwnedFiche {
  code: string;
  certificationId: string;
  isActive: boolean;
  line: number;
  partners: readonly DeclaredPartnerLine[];
}

/** A habilitation recorded in Habilis for one of the owned certifications. */
export interface HabilisHabilitation {
  habilitationId: string;
  certificationId: string;
  organisationId: string;
  siret: string;
  legalName: string;
  scope: HabilitationScope;
  status: HabilitationStatus;
  startsOn: string;
  endsOn: string | null;
}

export interface FindingDraft {
  ruleId: ReconciliationRule;
  subjectKey: string;
  organisationId: string | null;
  certificationId: string;
  title: string;
  description: string;
  severity: 'minor' | 'major';
  /** What the finding rests on: the file and line, the declaration and the habilitations compared. */
  source: Record<string, unknown>;
}

/** Whether the habilitation lets the partner act on `today`: an effective status and a period covering it. */
export function isInForce(
  h: Pick<HabilisHabilitation, 'status' | 'startsOn' | 'endsOn'>,
  today: string,
): boolean {
  return (
    effectiveHabilitationStatuses.includes(h.status) &&
    h.startsOn <= today &&
    (h.endsOn === null || h.endsOn >= today)
  );
}

/** A partner counts as declared when its habilitation is Actif (or its state is not published). */
export const isDeclared = (p: Pick<DeclaredPartnerLine, 'state'>): boolean =>
  p.state === null || p.state === 'Actif';

const typeLabel: Record<HabilitationType, string> = {
  HABILITATION_FORMER: 'former (HABILITATION_FORMER)',
  HABILITATION_ORGANISER: 'organiser l’évaluation (HABILITATION_ORGANISER)',
  HABILITATION_ORGA_FORM: 'former et organiser l’évaluation (HABILITATION_ORGA_FORM)',
};

/**
 * The differences between the declared partners of the owned fiches and the habilitations in force in
 * Habilis on `today`, one finding draft each. `file` names where the lines point (kept in each source).
 *
 * @example
 * reconcileDeclaredPartners([fiche], habilitations, { today: '2026-11-23', file: 'export.xml', organisationsBySiret })
 * // → [{ ruleId: 'registry.not_declared', subjectKey: 'RNCP35419:80875076400025', … }]
 */
export function reconcileDeclaredPartners(
  fiches: readonly OwnedFiche[],
  habilitations: readonly HabilisHabilitation[],
  context: {
    today: string;
    file: string;
    /** Organisations known to Habilis by SIRET, to link a finding to the partner it is about. */
    organisationsBySiret: ReadonlyMap<string, string>;
  },
): FindingDraft[] {
  const { today } = context;
  const drafts: FindingDraft[] = [];
  const byCertification = new Map<string, HabilisHabilitation[]>();
  for (const h of habilitations) {
    const list = byCertification.get(h.certificationId);
    if (list) list.push(h);
    else byCertification.set(h.certificationId, [h]);
  }

  for (const fiche of fiches) {
    const all = byCertification.get(fiche.certificationId) ?? [];
    const inForce = new Map<string, HabilisHabilitation[]>();
    for (const h of all) {
      if (!isInForce(h, today)) continue;
      const list = inForce.get(h.siret);
      if (list) list.push(h);
      else inForce.set(h.siret, [h]);
    }
    // Declared partners grouped by SIRET (one SIRET may be listed once per habilitation type).
    const declared = new Map<string, DeclaredPartnerLine[]>();
    for (const p of fiche.partners) {
      if (!isDeclared(p)) continue;
      const key = p.siret ?? `name:${p.name}`;
      const list = declared.get(key);
      if (list) list.push(p);
      else declared.set(key, [p]);
    }
    const base = (p: DeclaredPartnerLine | null) => ({
      file: context.file,
      ficheCode: fiche.code,
      line: p?.line ?? fiche.line,
    });

    for (const [key, lines] of declared) {
      const first = lines[0]!;
      const siret = first.siret;
      const declaredTypes = lines.map((p) => p.habilitationType);
      const declaredScope = combineScopes(declaredTypes.map((t) => scopeOfHabilitationType[t]))!;
      const organisationId = siret ? (context.organisationsBySiret.get(siret) ?? null) : null;
      const declaration = {
        ...base(first),
        siret,
        name: first.name,
        habilitationTypes: declaredTypes,
        states: lines.map((p) => p.state),
      };
      const who = `${first.name}${siret ? ` (SIRET ${siret})` : ''}`;
      if (!fiche.isActive) {
        drafts.push({
          ruleId: 'registry.declared_on_inactive',
          subjectKey: `${fiche.code}:${key}`,
          organisationId,
          certificationId: fiche.certificationId,
          title: `${fiche.code} : partenaire déclaré actif sur une fiche inactive`,
          description: `${who} est déclaré habilité (${declaredTypes.map((t) => typeLabel[t]).join(', ')}) auprès de France Compétences alors que la fiche ${fiche.code} n’est plus active. Mettre à jour les déclarations ou la fiche.`,
          severity: 'minor',
          source: declaration,
        });
        continue;
      }
      const habs = siret ? (inForce.get(siret) ?? []) : [];
      if (habs.length === 0) {
        const anyHabilitation = siret ? all.filter((h) => h.siret === siret) : [];
        drafts.push({
          ruleId: 'registry.declared_unknown',
          subjectKey: `${fiche.code}:${key}`,
          organisationId,
          certificationId: fiche.certificationId,
          title: `${fiche.code} : partenaire déclaré sans habilitation en vigueur dans Habilis`,
          description:
            anyHabilitation.length > 0
              ? `${who} est déclaré à France Compétences pour ${fiche.code}, mais son habilitation dans Habilis n’est pas en vigueur (${anyHabilitation.map((h) => h.status).join(', ')}). Retirer la déclaration ou régulariser l’habilitation.`
              : `${who} est déclaré à France Compétences pour ${fiche.code}, mais Habilis ne lui connaît aucune habilitation pour cette certification${organisationId ? '' : ' (organisme inconnu)'}. Enregistrer l’habilitation ou retirer la déclaration.`,
          severity: 'major',
          source: {
            ...declaration,
            habilitations: anyHabilitation.map((h) => ({
              id: h.habilitationId,
              scope: h.scope,
              status: h.status,
            })),
          },
        });
        continue;
      }
      const habilisScope = combineScopes(habs.map((h) => h.scope))!;
      if (habilisScope !== declaredScope) {
        drafts.push({
          ruleId: 'registry.type_mismatch',
          subjectKey: `${fiche.code}:${key}`,
          organisationId: habs[0]!.organisationId,
          certificationId: fiche.certificationId,
          title: `${fiche.code} : type d’habilitation différent entre France Compétences et Habilis`,
          description: `${who} est déclaré à France Compétences comme habilité à ${declaredTypes.map((t) => typeLabel[t]).join(', ')}, mais Habilis l’habilite à ${typeLabel[habilitationTypeOfScope[habilisScope]]}. Aligner la déclaration et l’habilitation.`,
          severity: 'minor',
          source: {
            ...declaration,
            habilisScope,
            expectedHabilitationType: habilitationTypeOfScope[habilisScope],
            habilitations: habs.map((h) => ({ id: h.habilitationId, scope: h.scope, status: h.status })),
          },
        });
      }
    }

    if (!fiche.isActive) continue;
    for (const [siret, habs] of inForce) {
      if (declared.has(siret)) continue;
      const scope = combineScopes(habs.map((h) => h.scope))!;
      const listed = fiche.partners.filter((p) => p.siret === siret);
      drafts.push({
        ruleId: 'registry.not_declared',
        subjectKey: `${fiche.code}:${siret}`,
        organisationId: habs[0]!.organisationId,
        certificationId: fiche.certificationId,
        title: `${fiche.code} : partenaire habilité dans Habilis mais non déclaré à France Compétences`,
        description: `${habs[0]!.legalName} (SIRET ${siret}) est habilité dans Habilis (${typeLabel[habilitationTypeOfScope[scope]]}) mais ${
          listed.length
            ? `France Compétences le liste avec l’état ${listed.map((p) => p.state ?? '?').join(', ')}`
            : 'France Compétences ne le liste pas'
        } pour ${fiche.code} : la Caisse des Dépôts bloquera ses offres CPF. Le déclarer sur la fiche.`,
        severity: 'major',
        source: {
          ...base(listed[0] ?? null),
          siret,
          name: habs[0]!.legalName,
          expectedHabilitationType: habilitationTypeOfScope[scope],
          listedStates: listed.map((p) => p.state),
          habilitations: habs.map((h) => ({ id: h.habilitationId, scope: h.scope, status: h.status })),
        },
      });
    }
  }
  return drafts;
}
