import { randomBytes } from 'node:crypto';
import { type Actor, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import {
  type CertificateListQuery,
  type CertificatePage,
  type CertificateVerification,
  type CertificateView,
  certificateDisclosureInput,
  certificateIssueInput,
  certificateRevokeInput,
  type Disclosure,
} from '../core/certificates/certificate.schema.js';
import {
  formatVerificationCode,
  nextCertificateNumber,
  normaliseVerificationCode,
  VERIFICATION_CODE_BYTES,
} from '../core/certificates/certificate-number.js';
import { AppError, conflict, notFound, validationFailed } from '../core/errors.js';
import { certifyingDecisions, type DeliberationDecision } from '../core/juries/jury.schema.js';
import type { Database } from '../db/database.js';
import { CertificateRepository, type CertificateRow } from '../db/repositories/certificate.repository.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { certificateView } from '../reports/certificate/model.js';
import { certificatePdf } from '../reports/certificate/pdf.js';
import { recordAudit } from './audit.service.js';
import { evaluatorScope, isoOrNull, todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/**
 * Certificates (parchemins): issued from a jury's positive decision, numbered per year without gaps, with a
 * random verification code anyone holding the paper can check; revoked with reasons, never deleted.
 */
export class CertificateService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: CertificateListQuery): Promise<CertificatePage> {
    requireAccess(actor, 'chain.read');
    const { items, total } = await new CertificateRepository(this.ctx.db).list(
      query,
      organisationScope(actor),
      evaluatorScope(actor),
    );
    return { items: await this.views(this.ctx.db, items), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<CertificateView> {
    requireAccess(actor, 'chain.read');
    return this.view(this.ctx.db, await this.load(this.ctx.db, actor, id));
  }

  async issue(actor: Actor, input: unknown): Promise<CertificateView> {
    requireAccess(actor, 'certificate.manage');
    const data = parseInput(certificateIssueInput, input);
    const today = todayOf(this.ctx.now);
    const issuedOn = data.issuedOn ?? today;
    if (issuedOn > today)
      throw validationFailed([{ field: 'issuedOn', message: 'must not be in the future' }]);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CertificateRepository(trx);
      const deliberation = await repo.deliberationWithJury(data.deliberationId);
      if (!deliberation)
        throw validationFailed([
          { field: 'deliberationId', message: `no deliberation ${data.deliberationId}` },
        ]);
      if (!certifyingDecisions.includes(deliberation.decision as DeliberationDecision))
        throw conflict(
          `The jury decided ${deliberation.decision}: a certificate is issued only for certified or certified_by_blocks`,
          [{ field: 'deliberationId', message: `decision is ${deliberation.decision}` }],
        );
      // A certificate rests on the signed minutes (PV): until the president signs, the decision is not final.
      if (deliberation.juryStatus !== 'signed')
        throw new AppError(
          'jury_minutes_unsigned',
          `The minutes of jury ${deliberation.juryId} (meeting of ${deliberation.juryMeetsOn}) are not signed: sign them before issuing a certificate`,
          {
            details: { juryId: deliberation.juryId, juryStatus: deliberation.juryStatus },
            fields: [
              {
                field: 'deliberationId',
                message: `the minutes of jury ${deliberation.juryId} are not signed (status ${deliberation.juryStatus})`,
              },
            ],
          },
        );
      const live = await repo.findLiveByDeliberation(deliberation.id);
      if (live)
        throw conflict(`Certificate ${live.number} was already issued from this deliberation`, [
          { field: 'deliberationId', message: `already issued as ${live.number}` },
        ]);
      const year = Number(issuedOn.slice(0, 4));
      const number = nextCertificateNumber(year, await repo.lockYearAndFindHighest(year));
      const id = await repo.insert({
        number,
        deliberationId: deliberation.id,
        candidateId: deliberation.candidateId,
        certificationId: deliberation.certificationId,
        issuedOn,
        verificationCode: formatVerificationCode(randomBytes(VERIFICATION_CODE_BYTES)),
      });
      const view = await this.view(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        { action: 'certificate.issue', entityType: 'certificate', entityId: id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  async revoke(actor: Actor, id: string, input: unknown): Promise<CertificateView> {
    requireAccess(actor, 'certificate.manage');
    const data = parseInput(certificateRevokeInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      if (row.revokedAt)
        throw conflict(`Certificate ${row.number} was already revoked on ${row.revokedAt.toISOString()}`);
      const before = await this.view(trx, row);
      await new CertificateRepository(trx).update(id, {
        revokedAt: this.ctx.now(),
        revocationReason: data.reason,
      });
      const after = await this.view(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        { action: 'certificate.revoke', entityType: 'certificate', entityId: id, before, after },
        this.ctx.now,
      );
      return after;
    });
  }

  /**
   * Records what the public check shows of the holder: the full name only with the holder's consent (how it
   * was given is kept with the certificate and in the audit entry); back to initials at any time.
   */
  async setDisclosure(actor: Actor, id: string, input: unknown): Promise<CertificateView> {
    requireAccess(actor, 'certificate.manage');
    const data = parseInput(certificateDisclosureInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const before = await this.view(trx, row);
      await new CertificateRepository(trx).update(id, {
        disclosure: data.disclosure,
        disclosureConsent: data.disclosure === 'full_name' ? (data.consent ?? null) : null,
        disclosureChangedAt: this.ctx.now(),
      });
      const after = await this.view(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        {
          action: 'certificate.set_disclosure',
          entityType: 'certificate',
          entityId: id,
          before: { disclosure: before.disclosure, disclosureConsent: before.disclosureConsent },
          after: { disclosure: after.disclosure, disclosureConsent: after.disclosureConsent },
        },
        this.ctx.now,
      );
      return after;
    });
  }

  /** The public check of a verification code: anyone may ask, and learns only what the certificate shows. */
  async verify(code: string): Promise<CertificateVerification> {
    const repo = new CertificateRepository(this.ctx.db);
    const found = await repo.findForVerification([
      ...new Set([code.trim(), normaliseVerificationCode(code)]),
    ]);
    if (!found) throw notFound('certificate');
    const blocks = await repo.validatedSkillBlocks([found.deliberationId]);
    return {
      number: found.number,
      status: found.revokedAt ? 'revoked' : 'valid',
      holderName:
        (found.disclosure as Disclosure) === 'full_name' ? holderFullName(found) : holderInitials(found),
      certificationCode: found.certificationCode,
      certificationTitle: found.certificationTitle,
      issuedOn: found.issuedOn,
      skillBlocks: blocks.map((b) => ({ code: b.code, title: b.title })),
    };
  }

  /**
   * The certificate as a PDF (see reports/certificate): numbered, with the holder, the certification, the
   * validated blocks, the date, the certifier, and the verification code with its public URL.
   */
  async pdf(actor: Actor, id: string): Promise<{ fileName: string; content: Buffer }> {
    requireAccess(actor, 'chain.read');
    const row = await this.load(this.ctx.db, actor, id);
    const repo = new CertificateRepository(this.ctx.db);
    const [doc, blocks, certifierName] = await Promise.all([
      repo.findForDocument(id),
      repo.validatedSkillBlocks([row.deliberationId]),
      new ChainReferenceRepository(this.ctx.db).certifierName(),
    ]);
    if (!doc) throw notFound('certificate', id);
    const content = await certificatePdf(
      certificateView({
        number: row.number,
        issuedOn: row.issuedOn,
        verificationCode: row.verificationCode,
        revokedAt: isoOrNull(row.revokedAt),
        holder: doc,
        certification: {
          code: doc.certificationCode,
          title: doc.certificationTitle,
          level: doc.certificationLevel,
        },
        skillBlocks: blocks.map((b) => ({ code: b.code, title: b.title })),
        certifierName: certifierName ?? 'Organisme certificateur',
        publicUrl: this.ctx.config.publicUrl,
      }),
    );
    return { fileName: `certificat-${row.number}.pdf`, content };
  }

  private async load(db: Database, actor: Actor, id: string): Promise<CertificateRow> {
    const row = await new CertificateRepository(db).findById(id);
    if (!row) throw notFound('certificate', id);
    requireInScope(actor, 'certificate', id, row.candidateOrganisationId);
    const evaluatorId = evaluatorScope(actor);
    if (evaluatorId && !(await new CertificateRepository(db).isVisibleToEvaluator(id, evaluatorId)))
      throw notFound('certificate', id);
    return row;
  }

  private async reload(db: Database, id: string): Promise<CertificateRow> {
    const row = await new CertificateRepository(db).findById(id);
    if (!row) throw notFound('certificate', id);
    return row;
  }

  private async view(db: Database, row: CertificateRow): Promise<CertificateView> {
    return (await this.views(db, [row]))[0]!;
  }

  /** Views of several certificates, with the validated blocks of all of them read in one query. */
  private async views(db: Database, rows: readonly CertificateRow[]): Promise<CertificateView[]> {
    const blocks = await new CertificateRepository(db).validatedSkillBlocks(
      rows.map((r) => r.deliberationId),
    );
    return rows.map((row) => ({
      id: row.id,
      number: row.number,
      deliberationId: row.deliberationId,
      candidateId: row.candidateId,
      holderName: `${row.holderFirstNames} ${row.holderBirthName}${row.holderUsageName ? ` (${row.holderUsageName})` : ''}`,
      certificationId: row.certificationId,
      certificationCode: row.certificationCode,
      issuedOn: row.issuedOn,
      verificationCode: row.verificationCode,
      accrochageStatus: row.accrochageStatus as CertificateView['accrochageStatus'],
      accrochageMessage: row.accrochageMessage,
      skillBlocks: blocks
        .filter((b) => b.deliberationId === row.deliberationId)
        .map((b) => ({ id: b.id, code: b.code, title: b.title })),
      revokedAt: isoOrNull(row.revokedAt),
      revocationReason: row.revocationReason,
      disclosure: row.disclosure as Disclosure,
      disclosureConsent: row.disclosureConsent,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}

/** The holder's full name, for a public check the holder agreed to (`Zoé Martin (Durand)`). */
export function holderFullName(p: {
  firstNames: string;
  birthName: string;
  usageName: string | null;
}): string {
  return `${p.firstNames} ${p.birthName}${p.usageName ? ` (${p.usageName})` : ''}`;
}

/**
 * The holder's name as the public check shows it by default: initials only (`Zoé Martin` → `Z. M.`), enough
 * to match the paper in hand without publishing who holds which certification. The full name needs the
 * holder's consent (`setDisclosure`).
 */
export function holderInitials(p: {
  firstNames: string;
  birthName: string;
  usageName: string | null;
}): string {
  const initial = (name: string) => `${(name.trim()[0] ?? '').toUpperCase()}.`;
  return `${initial(p.firstNames)} ${initial(p.usageName ?? p.birthName)}`;
}
