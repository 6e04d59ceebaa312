import type { Readable } from 'node:stream';
import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../../core/access/policy.js';
import { AppError, notFound } from '../../core/errors.js';
import { type EntityOwner, entityOwnership, evidenceLinkRefusal } from '../../core/evidence/evidence.js';
import {
  type EvidenceEntityType,
  type EvidenceListQuery,
  type EvidencePage,
  type EvidenceView,
  evidenceLinkInput,
  evidenceUploadQuery,
} from '../../core/evidence/evidence.schema.js';
import {
  cleanFileName,
  MAX_EVIDENCE_BYTES,
  resolveEvidenceMediaType,
} from '../../core/evidence/media-types.js';
import type { Database } from '../../db/database.js';
import {
  type EvidenceFileRow,
  type EvidenceLinkRow,
  EvidenceRepository,
} from '../../db/repositories/evidence.repository.js';
import { OrganisationRepository } from '../../db/repositories/organisation.repository.js';
import { recordAudit } from '../audit.service.js';
import type { ServiceContext } from '../service-context.js';
import { parseInput } from '../validation.js';
import { EvidenceStore } from './evidence-store.js';

export function toEvidenceView(row: EvidenceFileRow, links: readonly EvidenceLinkRow[]): EvidenceView {
  return {
    id: row.id,
    sha256: row.sha256,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    description: row.description,
    organisationId: row.organisationId,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    links: links.map((l) => ({
      entityType: l.entityType,
      entityId: l.entityId,
      purpose: l.purpose,
      createdAt: l.createdAt.toISOString(),
    })),
  };
}

/** A file as it arrives: the name and type the client gave, and the bytes as a stream. */
export interface IncomingFile {
  fileName: string;
  declaredType?: string | undefined;
  content: Readable;
}

/** A stored file ready to send: its description, and its bytes, already checked against its SHA-256. */
export interface EvidenceDownload {
  evidence: EvidenceView;
  stream: Readable;
}

/**
 * Evidence files: uploaded once, stored by content (see EvidenceStore), described by a row per upload,
 * linked to what they prove. A partner uploads for, lists and reads its own organisation's files only.
 */
export class EvidenceService {
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;

  constructor(
    private readonly ctx: ServiceContext,
    options: { maxBytes?: number } = {},
  ) {
    this.maxBytes = options.maxBytes ?? MAX_EVIDENCE_BYTES;
  }

  // Read at each use, not at construction: the configuration object is the one the server was given.
  private store(): EvidenceStore {
    return new EvidenceStore(this.ctx.config.filesDir);
  }

  /**
   * Stores an uploaded file and records it (and its link, when one is named). Everything that can be
   * refused without the bytes (input, organisation, link target) is checked before a byte is read; then
   * the content is streamed to the store, which refuses a file too large or of a kind not accepted.
   */
  async upload(actor: Actor, meta: unknown, file: IncomingFile): Promise<EvidenceView> {
    requireAccess(actor, 'evidence.upload');
    const data = parseInput(evidenceUploadQuery, meta);
    const scope = organisationScope(actor);
    if (scope !== null && data.organisationId && data.organisationId !== scope)
      throw notFound('organisation', data.organisationId);
    const organisationId = scope ?? data.organisationId ?? null;
    if (organisationId !== null && !(await new OrganisationRepository(this.ctx.db).findById(organisationId)))
      throw notFound('organisation', organisationId);
    if (data.entityType && data.entityId)
      await this.checkLinkTarget(this.ctx.db, actor, organisationId, data.entityType, data.entityId);

    const fileName = cleanFileName(file.fileName);
    const stored = await this.store().write(file.content, {
      maxBytes: this.maxBytes,
      mediaTypeOf: (head) => resolveEvidenceMediaType({ head, fileName, declaredType: file.declaredType }),
    });

    // Should this transaction fail, the stored content stays without a row: harmless (it is only reachable
    // through a row) and safer than deleting a content another upload may be recording at the same time.
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new EvidenceRepository(trx);
      const row = await repo.insert({
        sha256: stored.sha256,
        fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
        description: data.description ?? null,
        organisationId,
        uploadedBy: actorId(actor),
      });
      if (data.entityType && data.entityId)
        await repo.insertLink({
          evidenceId: row.id,
          entityType: data.entityType,
          entityId: data.entityId,
          purpose: data.purpose ?? null,
        });
      const view = toEvidenceView(row, (await repo.linksOf([row.id])).get(row.id) ?? []);
      await recordAudit(
        trx,
        actor,
        { action: 'evidence.upload', entityType: 'evidence', entityId: row.id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  async list(actor: Actor, query: EvidenceListQuery): Promise<EvidencePage> {
    requireAccess(actor, 'evidence.read');
    const scope = organisationScope(actor);
    const organisationIds =
      scope !== null
        ? query.organisationId && query.organisationId !== scope
          ? []
          : [scope]
        : query.organisationId
          ? [query.organisationId]
          : undefined;
    const repo = new EvidenceRepository(this.ctx.db);
    const { items, total } = await repo.list(
      {
        ...(organisationIds ? { organisationIds } : {}),
        entityType: query.entityType,
        entityId: query.entityId,
        q: query.q,
      },
      query,
    );
    const links = await repo.linksOf(items.map((e) => e.id));
    return {
      items: items.map((e) => toEvidenceView(e, links.get(e.id) ?? [])),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(actor: Actor, id: string): Promise<EvidenceView> {
    requireAccess(actor, 'evidence.read');
    const repo = new EvidenceRepository(this.ctx.db);
    const row = await this.readInScope(repo, actor, id);
    return toEvidenceView(row, (await repo.linksOf([id])).get(id) ?? []);
  }

  /** The file's bytes, checked against its SHA-256 before anything is sent. */
  async open(actor: Actor, id: string): Promise<EvidenceDownload> {
    requireAccess(actor, 'evidence.read');
    const repo = new EvidenceRepository(this.ctx.db);
    const row = await this.readInScope(repo, actor, id);
    const { stream } = await this.store().openVerified(row.sha256);
    return { evidence: toEvidenceView(row, (await repo.linksOf([id])).get(id) ?? []), stream };
  }

  /** Links a stored file to what it proves; linking it again to the same record changes nothing. */
  async link(actor: Actor, id: string, input: unknown): Promise<EvidenceView> {
    requireAccess(actor, 'evidence.upload');
    const data = parseInput(evidenceLinkInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new EvidenceRepository(trx);
      const row = await this.readInScope(repo, actor, id);
      await this.checkLinkTarget(trx, actor, row.organisationId, data.entityType, data.entityId);
      const link = { entityType: data.entityType, entityId: data.entityId, purpose: data.purpose ?? null };
      const inserted = await repo.insertLink({ evidenceId: id, ...link });
      const view = toEvidenceView(row, (await repo.linksOf([id])).get(id) ?? []);
      if (inserted)
        await recordAudit(
          trx,
          actor,
          { action: 'evidence.link', entityType: 'evidence', entityId: id, after: link },
          this.ctx.now,
        );
      return view;
    });
  }

  private async readInScope(repo: EvidenceRepository, actor: Actor, id: string): Promise<EvidenceFileRow> {
    const row = await repo.findById(id);
    if (!row) throw notFound('evidence', id);
    requireInScope(actor, 'evidence', id, row.organisationId);
    return row;
  }

  /**
   * The entity must exist and be one the actor may attach evidence to (see evidenceLinkRefusal): hidden
   * ones are not found, and a file of one organisation does not go on another organisation's record.
   */
  private async checkLinkTarget(
    db: Database,
    actor: Actor,
    fileOrganisationId: string | null,
    entityType: EvidenceEntityType,
    entityId: string,
  ): Promise<void> {
    const found = await new EvidenceRepository(db).ownerOf(entityType, entityId);
    if (!found) throw notFound(entityType, entityId);
    const kind = entityOwnership[entityType];
    // A record that could belong to an organisation but belongs to none is the certifier's own.
    const owner: EntityOwner =
      kind === 'organisation'
        ? found.organisationId
          ? { kind, organisationId: found.organisationId }
          : { kind: 'certifier' }
        : { kind };
    const refusal = evidenceLinkRefusal({
      partnerScope: organisationScope(actor),
      fileOrganisationId,
      owner,
    });
    if (refusal?.kind === 'hidden') throw notFound(entityType, entityId);
    if (refusal?.kind === 'mismatch')
      throw new AppError(
        'conflict',
        `Cannot link this file to ${entityType} ${entityId}: ${refusal.message}`,
        {
          fields: [{ field: 'entityId', message: refusal.message }],
        },
      );
  }
}
