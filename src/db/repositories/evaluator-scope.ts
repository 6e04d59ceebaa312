import type { Database } from '../database.js';

/**
 * What an evaluator may read of the chain: only what relates to the assessment sessions it is assigned to.
 * Each helper is a subquery of ids, to filter a list (`where id in …`) or check one id.
 */

/** The assessment sessions the evaluator is assigned to. */
export const evaluatedSessionIds = (db: Database, evaluatorId: string) =>
  db
    .selectFrom('assessmentSessionEvaluators')
    .select('assessmentSessionEvaluators.assessmentSessionId')
    .where('assessmentSessionEvaluators.userId', '=', evaluatorId);

/** The candidates registered in those sessions. */
export const evaluatedCandidateIds = (db: Database, evaluatorId: string) =>
  db
    .selectFrom('assessmentSessionCandidates')
    .select('assessmentSessionCandidates.candidateId')
    .where('assessmentSessionCandidates.assessmentSessionId', 'in', evaluatedSessionIds(db, evaluatorId));

/**
 * The training sessions of those candidates towards the certification they are assessed for (the training
 * that led to the assessment), not their other trainings.
 */
export const evaluatedTrainingSessionIds = (db: Database, evaluatorId: string) =>
  db
    .selectFrom('trainingEnrolments')
    .innerJoin('trainingSessions', 'trainingSessions.id', 'trainingEnrolments.trainingSessionId')
    .innerJoin(
      'assessmentSessionCandidates',
      'assessmentSessionCandidates.candidateId',
      'trainingEnrolments.candidateId',
    )
    .innerJoin('assessmentSessions', (join) =>
      join
        .onRef('assessmentSessions.id', '=', 'assessmentSessionCandidates.assessmentSessionId')
        .onRef('assessmentSessions.certificationId', '=', 'trainingSessions.certificationId'),
    )
    .select('trainingEnrolments.trainingSessionId')
    .where('assessmentSessions.id', 'in', evaluatedSessionIds(db, evaluatorId));

/** The certificates of those candidates for the certification of a session the evaluator assesses. */
export const evaluatedCertificateIds = (db: Database, evaluatorId: string) =>
  db
    .selectFrom('certificates')
    .innerJoin(
      'assessmentSessionCandidates',
      'assessmentSessionCandidates.candidateId',
      'certificates.candidateId',
    )
    .innerJoin('assessmentSessions', (join) =>
      join
        .onRef('assessmentSessions.id', '=', 'assessmentSessionCandidates.assessmentSessionId')
        .onRef('assessmentSessions.certificationId', '=', 'certificates.certificationId'),
    )
    .select('certificates.id')
    .where('assessmentSessions.id', 'in', evaluatedSessionIds(db, evaluatorId));
