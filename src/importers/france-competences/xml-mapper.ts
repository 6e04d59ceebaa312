import {
  type AccessRouteCode,
  accessRouteCodes,
  type DeclaredPartner,
  type FicheAccessRoute,
  type FicheCertifier,
  type FicheRecord,
  type FicheSkillBlock,
  type FicheStatistics,
  type FicheTexts,
  type ImportReject,
} from '../../core/registry/fiche.schema.js';
import {
  cleanSiret,
  cleanText,
  emptyToNull,
  normaliseFicheCode,
  normaliseSkillBlockCode,
  normaliseState,
  type Parsed,
  parseFrenchDate,
  parseHabilitationType,
  parseInteger,
  parseLevel,
  parseOuiNon,
} from '../../core/registry/normalise.js';
import type { XmlElement } from './xml-tree.js';

/**
 * One FICHE element → one normalised fiche record. Version-tolerant: children are read by name in any
 * order, a container with one child is a list of one, the older bare `ANCIENNE_CERTIFICATION` /
 * `NOUVELLE_CERTIFICATION` and `ETAT_PARTENAIRE` are read too, and any element this mapper does not know is
 * counted (by parent and name) and otherwise ignored. A value that cannot be read becomes null with a
 * reject naming its line; a fiche without a code, a title or its ACTIF flag is rejected whole (null).
 */

export interface MapContext {
  reject(reject: ImportReject): void;
  unknown(path: string): void;
}

const emptyTexts = (): FicheTexts => ({
  activities: null,
  competences: null,
  sectors: null,
  jobTypes: null,
  regulations: null,
  objectives: null,
  entryPrerequisites: null,
  validationPrerequisites: null,
  masteryLevel: null,
  partialValidationScope: null,
  validityDuration: null,
  renewalTerms: null,
});

/** A fiche record with every field empty, for the mappers to fill. */
export function emptyFicheRecord(code: string, title: string, isActive: boolean, line: number): FicheRecord {
  return {
    code,
    register: code.startsWith('RNCP') ? 'RNCP' : 'RS',
    sourceId: null,
    title,
    abbreviation: null,
    level: null,
    levelLabel: null,
    state: null,
    isActive,
    registrationType: null,
    decidedOn: null,
    effectiveOn: null,
    publishedOn: null,
    lastOfficialJournalOn: null,
    endsOn: null,
    deliveryDeadline: null,
    registrationYears: null,
    hasPartners: null,
    partialValidation: null,
    accessibleNewCaledonia: null,
    accessibleFrenchPolynesia: null,
    url: null,
    certifiers: [],
    skillBlocks: [],
    accessRoutes: [],
    statistics: [],
    predecessors: [],
    successors: [],
    partners: [],
    formacodes: [],
    nsf: [],
    rome: [],
    ccn: [],
    idcc: [],
    publications: [],
    correspondences: [],
    promotionYears: [],
    texts: emptyTexts(),
    line,
  };
}

const childText = (element: XmlElement, name: string): string | null => {
  for (const child of element.children) if (child.name === name) return child.text;
  return null;
};

export class FicheMapper {
  constructor(private readonly ctx: MapContext) {}

  private value<T>(element: XmlElement, parsed: Parsed<T>, code: string, fiche: string): T | null {
    if (parsed.ok) return parsed.value;
    this.ctx.reject({
      line: element.line,
      column: element.column,
      code,
      message: `${fiche}: ${element.name} ${parsed.reason}; value ignored`,
    });
    return null;
  }

  private date(element: XmlElement, fiche: string): string | null {
    return this.value(element, parseFrenchDate(element.text), 'invalid_date', fiche);
  }

  private bool(element: XmlElement, fiche: string): boolean | null {
    return this.value(element, parseOuiNon(element.text), 'invalid_boolean', fiche);
  }

  private int(element: XmlElement, fiche: string): number | null {
    return this.value(element, parseInteger(element.text), 'invalid_number', fiche);
  }

  private unknown(parent: string, element: XmlElement): void {
    this.ctx.unknown(`${parent}/${element.name}`);
  }

  /** The record of a FICHE element, or null (with a reject) when it has no usable code, title or ACTIF. */
  map(fiche: XmlElement): FicheRecord | null {
    const rawCode = childText(fiche, 'NUMERO_FICHE');
    const code = normaliseFicheCode(rawCode);
    const rejectFiche = (reason: string, errorCode: string) => {
      this.ctx.reject({ line: fiche.line, column: fiche.column, code: errorCode, message: reason });
      return null;
    };
    if (!code) {
      return rejectFiche(
        rawCode === null
          ? 'FICHE without NUMERO_FICHE: fiche ignored'
          : `NUMERO_FICHE "${rawCode.trim()}" is not an RNCP or RS code: fiche ignored`,
        'invalid_code',
      );
    }
    const title = cleanText(childText(fiche, 'INTITULE'));
    if (!title) return rejectFiche(`${code}: no INTITULE: fiche ignored`, 'missing_title');
    const activeRaw = childText(fiche, 'ACTIF');
    const active = parseOuiNon(activeRaw);
    if (!active.ok || active.value === null) {
      return rejectFiche(
        `${code}: ACTIF ${active.ok ? 'is missing' : active.reason}: fiche ignored`,
        'invalid_active_flag',
      );
    }

    const record = emptyFicheRecord(code, title, active.value, fiche.line);
    const texts = record.texts;
    for (const el of fiche.children) {
      switch (el.name) {
        case 'NUMERO_FICHE':
        case 'INTITULE':
        case 'ACTIF':
          break;
        case 'ID_FICHE':
          record.sourceId = this.int(el, code);
          break;
        case 'NOUVELLES_CERTIFICATIONS':
          this.links(
            el,
            'NOUVELLE_CERTIFICATION',
            'ID_FICHE_NOUVELLE_CERTIFICATION',
            record.successors,
            code,
          );
          break;
        case 'ANCIENNES_CERTIFICATIONS':
          this.links(
            el,
            'ANCIENNE_CERTIFICATION',
            'ID_FICHE_ANCIENNE_CERTIFICATION',
            record.predecessors,
            code,
          );
          break;
        case 'NOUVELLE_CERTIFICATION':
          this.link(el, 'ID_FICHE_NOUVELLE_CERTIFICATION', record.successors, code);
          break;
        case 'ANCIENNE_CERTIFICATION':
          this.link(el, 'ID_FICHE_ANCIENNE_CERTIFICATION', record.predecessors, code);
          break;
        case 'ABREGE': {
          const abbreviation = emptyToNull(childText(el, 'CODE'));
          record.abbreviation = abbreviation
            ? { code: abbreviation.slice(0, 40), label: cleanText(childText(el, 'LIBELLE')) }
            : null;
          this.knownChildren(el, ['CODE', 'LIBELLE']);
          break;
        }
        case 'ETAT_FICHE':
          record.state = emptyToNull(el.text);
          break;
        case 'FORMACODES':
          this.codeList(el, 'FORMACODE', 'CODE', 'LIBELLE', record.formacodes);
          break;
        case 'CODES_NSF':
          this.codeList(el, 'NSF', 'CODE', 'LIBELLE', record.nsf);
          break;
        case 'CODES_ROME':
          this.codeList(el, 'ROME', 'CODE', 'LIBELLE', record.rome);
          break;
        case 'CODES_IDCC':
          this.codeList(el, 'IDCC', 'CODE', 'LIBELLE', record.idcc);
          break;
        case 'CCN_1':
        case 'CCN_2':
        case 'CCN_3': {
          const number = emptyToNull(childText(el, 'NUMERO'));
          if (number)
            record.ccn.push({ code: number.slice(0, 40), label: cleanText(childText(el, 'LIBELLE')) });
          this.knownChildren(el, ['NUMERO', 'LIBELLE']);
          break;
        }
        case 'NOMENCLATURE_EUROPE':
          record.level = parseLevel(childText(el, 'NIVEAU'));
          record.levelLabel = cleanText(childText(el, 'LIBELLE'));
          this.knownChildren(el, ['NIVEAU', 'LIBELLE']);
          break;
        case 'CERTIFICATEURS':
          for (const c of el.children) {
            if (c.name === 'CERTIFICATEUR') {
              const certifier = this.certifier(c, code);
              if (certifier) record.certifiers.push(certifier);
            } else this.unknown(el.name, c);
          }
          break;
        case 'EXISTENCE_PARTENAIRES':
          record.hasPartners = this.bool(el, code);
          break;
        case 'PARTENAIRES':
          this.partners(el, code, record.partners);
          break;
        case 'ACTIVITES_VISEES':
          texts.activities = cleanText(el.text);
          break;
        case 'CAPACITES_ATTESTEES':
          texts.competences = cleanText(el.text);
          break;
        case 'SECTEURS_ACTIVITE':
          texts.sectors = cleanText(el.text);
          break;
        case 'TYPE_EMPLOI_ACCESSIBLES':
          texts.jobTypes = cleanText(el.text);
          break;
        case 'REGLEMENTATIONS_ACTIVITES':
          texts.regulations = cleanText(el.text);
          break;
        case 'OBJECTIFS_CONTEXTE':
          texts.objectives = cleanText(el.text);
          break;
        case 'PREREQUIS_ENTREE_FORMATION':
          texts.entryPrerequisites = cleanText(el.text);
          break;
        case 'PREREQUIS_VALIDATION_CERTIFICATION':
          texts.validationPrerequisites = cleanText(el.text);
          break;
        case 'NIVEAU_MAITRISE_COMPETENCES':
          texts.masteryLevel = cleanText(el.text);
          break;
        case 'VALIDATION_PARTIELLE_PERIMETRE':
          texts.partialValidationScope = cleanText(el.text);
          break;
        case 'DUREE_VALIDITE':
          texts.validityDuration = cleanText(el.text);
          break;
        case 'MODALITES_RENOUVELLEMENT':
          texts.renewalTerms = cleanText(el.text);
          break;
        case 'SI_JURY_FI':
        case 'SI_JURY_CA':
        case 'SI_JURY_FC':
        case 'SI_JURY_CQ':
        case 'SI_JURY_CL':
        case 'SI_JURY_VAE':
          record.accessRoutes.push(this.accessRoute(el, code));
          break;
        case 'ACCESSIBLE_NOUVELLE_CALEDONIE':
          record.accessibleNewCaledonia = this.bool(el, code);
          break;
        case 'ACCESSIBLE_POLYNESIE_FRANCAISE':
          record.accessibleFrenchPolynesia = this.bool(el, code);
          break;
        case 'PUBLICATION_DECRET_GENERAL':
        case 'PUBLICATION_DECRET_CREATION':
        case 'PUBLICATION_DECRET_AUTRE':
          this.publications(el, code, record);
          break;
        case 'DATE_DERNIER_JO':
          record.lastOfficialJournalOn = this.date(el, code);
          break;
        case 'DATE_DECISION':
          record.decidedOn = this.date(el, code);
          break;
        case 'DATE_EFFET':
          record.effectiveOn = this.date(el, code);
          break;
        case 'DATE_DE_PUBLICATION':
          record.publishedOn = this.date(el, code);
          break;
        case 'DATE_FIN_ENREGISTREMENT':
          record.endsOn = this.date(el, code);
          break;
        case 'DATE_LIMITE_DELIVRANCE':
          record.deliveryDeadline = this.date(el, code);
          break;
        case 'DUREE_ENREGISTREMENT':
          record.registrationYears = this.int(el, code);
          break;
        case 'STATISTIQUES_PROMOTIONS':
          for (const s of el.children) {
            if (s.name === 'STATISTIQUES_PROMOTION') {
              const stats = this.statistics(s, code);
              if (stats) record.statistics.push(stats);
            } else this.unknown(el.name, s);
          }
          break;
        case 'LIEN_URL_DESCRIPTION':
          record.url = cleanText(el.text)?.slice(0, 2_000) ?? null;
          break;
        case 'ANNEES_PROMOTIONS_NIVEAU':
          for (const y of el.children) {
            if (y.name !== 'ANNEE') this.unknown(el.name, y);
            else {
              const year = this.int(y, code);
              if (year !== null) record.promotionYears.push(year);
            }
          }
          break;
        case 'TYPE_ENREGISTREMENT':
          record.registrationType = cleanText(el.text);
          break;
        case 'BLOCS_COMPETENCES':
          this.skillBlocks(el, code, record.skillBlocks);
          break;
        case 'VALIDATION_PARTIELLE':
          record.partialValidation = this.bool(el, code);
          break;
        case 'CORRESPONDANCES':
          this.correspondences(el, record);
          break;
        default:
          this.unknown('FICHE', el);
      }
    }
    return record;
  }

  private knownChildren(el: XmlElement, names: readonly string[]): void {
    for (const c of el.children) if (!names.includes(c.name)) this.unknown(el.name, c);
  }

  private link(el: XmlElement, idName: string, into: string[], fiche: string): void {
    // v4: <ANCIENNE_CERTIFICATION><ID_FICHE_ANCIENNE_CERTIFICATION>RNCP…; older: the code as text.
    const raw = el.children.length ? childText(el, idName) : el.text;
    this.knownChildren(el, [idName]);
    if (emptyToNull(raw) === null) return;
    const code = normaliseFicheCode(raw);
    if (!code) {
      this.ctx.reject({
        line: el.line,
        column: el.column,
        code: 'invalid_code',
        message: `${fiche}: ${el.name} "${raw?.trim()}" is not an RNCP or RS code; link ignored`,
      });
      return;
    }
    if (!into.includes(code)) into.push(code);
  }

  private links(el: XmlElement, itemName: string, idName: string, into: string[], fiche: string): void {
    for (const item of el.children) {
      if (item.name === itemName) this.link(item, idName, into, fiche);
      else if (item.name === idName) this.link(item, idName, into, fiche);
      else this.unknown(el.name, item);
    }
  }

  private codeList(
    el: XmlElement,
    itemName: string,
    codeName: string,
    labelName: string,
    into: { code: string; label: string | null }[],
  ): void {
    for (const item of el.children) {
      if (item.name !== itemName) {
        this.unknown(el.name, item);
        continue;
      }
      this.knownChildren(item, [codeName, labelName]);
      const code = emptyToNull(childText(item, codeName));
      if (code) into.push({ code: code.slice(0, 40), label: cleanText(childText(item, labelName)) });
    }
  }

  private certifier(el: XmlElement, fiche: string): FicheCertifier | null {
    let siret: string | null = null;
    let name: string | null = null;
    let state: string | null = null;
    let stateChangedOn: string | null = null;
    let tradeName: string | null = null;
    let website: string | null = null;
    for (const c of el.children) {
      switch (c.name) {
        case 'SIRET_CERTIFICATEUR':
          siret = this.value(c, cleanSiret(c.text), 'invalid_siret', fiche);
          break;
        case 'NOM_CERTIFICATEUR':
          name = cleanText(c.text);
          break;
        case 'ETAT_CERTIFICATEUR':
          state = normaliseState(c.text);
          break;
        case 'DATE_DERNIERE_MODIFICATION_ETAT':
          stateChangedOn = this.date(c, fiche);
          break;
        case 'NOM_COMMERCIAL':
          tradeName = cleanText(c.text);
          break;
        case 'SITE_INTERNET':
          website = cleanText(c.text);
          break;
        default:
          this.unknown(el.name, c);
      }
    }
    name ??= siret;
    if (!name) {
      this.ctx.reject({
        line: el.line,
        column: el.column,
        code: 'invalid_certifier',
        message: `${fiche}: CERTIFICATEUR without name nor SIRET; ignored`,
      });
      return null;
    }
    return {
      siret,
      name: name.slice(0, 500),
      state,
      stateChangedOn,
      tradeName: tradeName?.slice(0, 2_000) ?? null,
      website: website?.slice(0, 2_000) ?? null,
    };
  }

  private partners(el: XmlElement, fiche: string, into: DeclaredPartner[]): void {
    const seen = new Set<string>();
    for (const p of el.children) {
      if (p.name !== 'PARTENAIRE') {
        this.unknown(el.name, p);
        continue;
      }
      const partner = this.partner(p, fiche);
      if (!partner) continue;
      const key = `${partner.siret ?? partner.name}|${partner.habilitationType}`;
      if (seen.has(key)) {
        this.ctx.reject({
          line: p.line,
          column: p.column,
          code: 'duplicate_partner',
          message: `${fiche}: partner ${partner.siret ?? partner.name} (${partner.habilitationType}) declared twice; the repeat is ignored`,
        });
        continue;
      }
      seen.add(key);
      into.push(partner);
    }
  }

  private partner(el: XmlElement, fiche: string): DeclaredPartner | null {
    let siret: string | null = null;
    let name: string | null = null;
    let habilitationRaw: string | null = null;
    let state: string | null = null;
    let activeSince: string | null = null;
    let stateChangedOn: string | null = null;
    for (const c of el.children) {
      switch (c.name) {
        case 'SIRET_PARTENAIRE': {
          const parsed = cleanSiret(c.text);
          if (!parsed.ok) {
            this.ctx.reject({
              line: c.line,
              column: c.column,
              code: 'invalid_siret',
              message: `${fiche}: partner SIRET ${parsed.reason}; partner ignored`,
            });
            return null;
          }
          siret = parsed.value;
          break;
        }
        case 'NOM_PARTENAIRE':
          name = cleanText(c.text);
          break;
        case 'HABILITATION_PARTENAIRE':
          habilitationRaw = c.text;
          break;
        case 'ETAT_HABILITATION':
        case 'ETAT_PARTENAIRE':
          state = normaliseState(c.text);
          break;
        case 'DATE_ACTIF':
          activeSince = this.date(c, fiche);
          break;
        case 'DATE_DERNIERE_MODIFICATION_ETAT':
          stateChangedOn = this.date(c, fiche);
          break;
        default:
          this.unknown(el.name, c);
      }
    }
    const habilitationType = parseHabilitationType(habilitationRaw);
    if (!habilitationType) {
      this.ctx.reject({
        line: el.line,
        column: el.column,
        code: 'invalid_habilitation_type',
        message: `${fiche}: partner ${siret ?? name ?? '?'}: HABILITATION_PARTENAIRE "${emptyToNull(habilitationRaw) ?? ''}" is not HABILITATION_FORMER, HABILITATION_ORGANISER or HABILITATION_ORGA_FORM; partner ignored`,
      });
      return null;
    }
    name ??= siret;
    if (!name) {
      this.ctx.reject({
        line: el.line,
        column: el.column,
        code: 'invalid_partner',
        message: `${fiche}: PARTENAIRE without name nor SIRET; ignored`,
      });
      return null;
    }
    return {
      siret,
      name: name.slice(0, 500),
      habilitationType,
      state: state?.slice(0, 40) ?? null,
      isActive: state === 'Actif',
      activeSince,
      stateChangedOn,
      line: el.line,
    };
  }

  private accessRoute(el: XmlElement, fiche: string): FicheAccessRoute {
    const route = el.name.slice('SI_JURY_'.length) as AccessRouteCode;
    let isOpen: boolean | null = null;
    let jury: string | null = null;
    let modifiedOn: string | null = null;
    for (const c of el.children) {
      if (c.name === 'ACTIF') isOpen = this.bool(c, fiche);
      else if (c.name === 'COMPOSITION') jury = cleanText(c.text);
      else if (c.name === 'DATE_DERNIERE_MODIFICATION') modifiedOn = this.date(c, fiche);
      else this.unknown(el.name, c);
    }
    return { route: accessRouteCodes.includes(route) ? route : 'FI', isOpen, jury, modifiedOn };
  }

  private publications(el: XmlElement, fiche: string, record: FicheRecord): void {
    const kind =
      el.name === 'PUBLICATION_DECRET_GENERAL'
        ? 'general'
        : el.name === 'PUBLICATION_DECRET_CREATION'
          ? 'creation'
          : 'other';
    for (const jo of el.children) {
      if (jo.name !== 'PUBLICATION_JO') {
        this.unknown(el.name, jo);
        continue;
      }
      let title: string | null = null;
      let publishedOn: string | null = null;
      for (const c of jo.children) {
        if (c.name === 'TITRE') title = cleanText(c.text);
        else if (c.name === 'DATE_PUBLICATION_JO') publishedOn = this.date(c, fiche);
        else this.unknown(jo.name, c);
      }
      if (title || publishedOn) record.publications.push({ kind, title, publishedOn });
    }
  }

  private statistics(el: XmlElement, fiche: string): FicheStatistics | null {
    const stats: FicheStatistics = {
      year: 0,
      certified: null,
      certifiedByVae: null,
      insertionRate6Months: null,
      jobInsertionRate6Months: null,
      jobInsertionRate2Years: null,
    };
    let year: number | null = null;
    for (const c of el.children) {
      switch (c.name) {
        case 'ANNEE':
          year = this.int(c, fiche);
          break;
        case 'NOMBRE_CERTIFIES':
          stats.certified = this.int(c, fiche);
          break;
        case 'NOMBRE_CERTIFIES_VAE':
          stats.certifiedByVae = this.int(c, fiche);
          break;
        case 'TAUX_INSERTION_GLOBAL_6MOIS':
          stats.insertionRate6Months = this.int(c, fiche);
          break;
        case 'TAUX_INSERTION_METIER_6MOIS':
          stats.jobInsertionRate6Months = this.int(c, fiche);
          break;
        case 'TAUX_INSERTION_METIER_2ANS':
          stats.jobInsertionRate2Years = this.int(c, fiche);
          break;
        default:
          this.unknown(el.name, c);
      }
    }
    if (year === null || year < 1900 || year > 2200) {
      this.ctx.reject({
        line: el.line,
        column: el.column,
        code: 'invalid_statistics',
        message: `${fiche}: STATISTIQUES_PROMOTION without a valid ANNEE; ignored`,
      });
      return null;
    }
    stats.year = year;
    return stats;
  }

  private skillBlocks(el: XmlElement, fiche: string, into: FicheSkillBlock[]): void {
    const seen = new Set<string>();
    for (const b of el.children) {
      if (b.name !== 'BLOC_COMPETENCES') {
        this.unknown(el.name, b);
        continue;
      }
      let rawCode: string | null = null;
      const block: FicheSkillBlock = {
        code: '',
        title: '',
        competences: null,
        assessmentRules: null,
        entryPrerequisites: null,
        validationPrerequisites: null,
      };
      for (const c of b.children) {
        switch (c.name) {
          case 'CODE':
            rawCode = c.text;
            break;
          case 'LIBELLE':
            block.title = cleanText(c.text)?.slice(0, 2_000) ?? '';
            break;
          case 'LISTE_COMPETENCES':
            block.competences = cleanText(c.text);
            break;
          case 'MODALITES_EVALUATION':
            block.assessmentRules = cleanText(c.text);
            break;
          case 'PREREQUIS_ENTREE_FORMATION_BLOC':
            block.entryPrerequisites = cleanText(c.text);
            break;
          case 'PREREQUIS_VALIDATION_BLOC':
            block.validationPrerequisites = cleanText(c.text);
            break;
          default:
            this.unknown(b.name, c);
        }
      }
      const code = normaliseSkillBlockCode(rawCode, fiche);
      if (!code) {
        this.ctx.reject({
          line: b.line,
          column: b.column,
          code: 'invalid_skill_block_code',
          message: `${fiche}: skill block code "${emptyToNull(rawCode) ?? ''}" is not a block code of ${fiche}; block ignored`,
        });
        continue;
      }
      if (seen.has(code)) {
        this.ctx.reject({
          line: b.line,
          column: b.column,
          code: 'duplicate_skill_block',
          message: `${fiche}: skill block ${code} appears twice; the repeat is ignored`,
        });
        continue;
      }
      seen.add(code);
      block.code = code;
      if (!block.title) block.title = code;
      into.push(block);
    }
  }

  private correspondences(el: XmlElement, record: FicheRecord): void {
    const blockCodes = (container: XmlElement | undefined): string[] => {
      if (!container) return [];
      const codes: string[] = [];
      for (const b of container.children) {
        if (b.name !== 'BLOC_COMPETENCES') continue;
        const code = emptyToNull(childText(b, 'CODE'));
        if (code) codes.push(code.slice(0, 40));
      }
      return codes;
    };
    for (const c of el.children) {
      if (c.name !== 'CORRESPONDANCE') {
        this.unknown(el.name, c);
        continue;
      }
      const source = c.children.find((x) => x.name === 'SOURCE');
      const destination = c.children.find((x) => x.name === 'DESTINATION');
      const targetCode = destination ? normaliseFicheCode(childText(destination, 'NUMERO_FICHE')) : null;
      record.correspondences.push({
        sourceSkillBlocks: blockCodes(source),
        targetCode,
        targetSkillBlocks: blockCodes(destination),
      });
    }
  }
}
