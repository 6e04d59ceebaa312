import { frenchDate } from '../certificate/render-pdf.js';

/** What the minutes (procès-verbal) of a jury are made from. */
export interface JuryMinutesData {
  certifierName: string;
  jury: { id: string; meetsOn: string; place: string | null; status: string; signedAt: string | null };
  certification: { code: string; title: string; level: string | null };
  members: readonly {
    fullName: string;
    role: string;
    hasConflictOfInterest: boolean;
    conflictNote: string | null;
  }[];
  deliberations: readonly {
    candidate: { firstNames: string; birthName: string; usageName: string | null; birthDate: string | null };
    decision: string;
    skillBlocks: readonly { code: string; title: string }[];
    note: string | null;
  }[];
}

export interface JuryMinutesView {
  title: string;
  certifierName: string;
  certificationLine: string;
  meeting: string;
  isDraft: boolean;
  signature: string;
  members: { name: string; role: string; conflict: string }[];
  decisions: { candidate: string; decision: string; blocks: string; note: string }[];
  counts: string;
}

const roleLabels: Record<string, string> = {
  president: 'Président(e)',
  member: 'Membre',
  professional: 'Professionnel(le)',
  certifier_representative: 'Représentant(e) du certificateur',
};

export const decisionLabels: Record<string, string> = {
  certified: 'Certifié(e)',
  certified_by_blocks: 'Certifié(e) par blocs',
  failed: 'Non certifié(e)',
  postponed: 'Ajourné(e)',
};

/**
 * The minutes as they read (pure): who sat (with any declared conflict of interest), the decision on each
 * candidate with the blocks validated, the count per decision, and whether they are signed — unsigned
 * minutes are a draft and say so.
 */
export function juryMinutesView(data: JuryMinutesData): JuryMinutesView {
  const { certification, jury } = data;
  const counts = new Map<string, number>();
  for (const d of data.deliberations) counts.set(d.decision, (counts.get(d.decision) ?? 0) + 1);
  const president = data.members.find((m) => m.role === 'president');
  return {
    title: 'Procès-verbal de délibération du jury',
    certifierName: data.certifierName,
    certificationLine: `${certification.title} — ${certification.code}${certification.level ? ` — niveau ${certification.level}` : ''}`,
    meeting: `Réuni le ${frenchDate(jury.meetsOn)}${jury.place ? ` — ${jury.place}` : ''}`,
    isDraft: jury.status !== 'signed',
    signature:
      jury.status === 'signed' && jury.signedAt
        ? `Signé le ${frenchDate(jury.signedAt)} par ${president?.fullName ?? 'le président du jury'}, président(e) du jury`
        : 'Projet — procès-verbal non signé',
    members: data.members.map((m) => ({
      name: m.fullName,
      role: roleLabels[m.role] ?? m.role,
      conflict: m.hasConflictOfInterest ? `Conflit d'intérêts déclaré : ${m.conflictNote ?? ''}` : 'Aucun',
    })),
    decisions: data.deliberations.map((d) => ({
      candidate: `${d.candidate.birthName.toUpperCase()}${d.candidate.usageName && d.candidate.usageName !== d.candidate.birthName ? ` (${d.candidate.usageName.toUpperCase()})` : ''} ${d.candidate.firstNames}${d.candidate.birthDate ? `, né(e) le ${frenchDate(d.candidate.birthDate)}` : ''}`,
      decision: decisionLabels[d.decision] ?? d.decision,
      blocks: d.skillBlocks.map((b) => b.code).join(', '),
      note: d.note ?? '',
    })),
    counts: [...counts.entries()]
      .map(([decision, n]) => `${decisionLabels[decision] ?? decision} : ${n}`)
      .join(' ; '),
  };
}
