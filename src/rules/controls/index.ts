import type { ControlDefinition } from '../engine/control-definition.js';
import { accrochageLate } from './accrochage-late.js';
import { assessmentDeclaredLate } from './assessment-declared-late.js';
import { candidateCertifiedTwice } from './candidate-certified-twice.js';
import { certificateUnsupported } from './certificate-unsupported.js';
import { chronologyInconsistent } from './chronology-inconsistent.js';
import { conventionExpiring } from './convention-expiring.js';
import { conventionMissing } from './convention-missing.js';
import { evaluatorConflict } from './evaluator-conflict.js';
import { evidenceMissing } from './evidence-missing.js';
import { habilitationNotEvaluator } from './habilitation-not-evaluator.js';
import { habilitationOutsidePeriod } from './habilitation-outside-period.js';
import { habilitationTrainingScope } from './habilitation-training-scope.js';
import { qualiopiCpf } from './qualiopi-cpf.js';
import { registryNotDeclared } from './registry-not-declared.js';
import { resultsLate } from './results-late.js';
import { scoresIdenticalPattern } from './scores-identical-pattern.js';
import { successRateOutlier } from './success-rate-outlier.js';
import { trainingGroupSize } from './training-group-size.js';
import { trainingHoursBelowMinimum } from './training-hours-below-minimum.js';
import { volumeSuddenGrowth } from './volume-sudden-growth.js';

/** Every automated control, in the order a run goes through them (the catalogue's order too). */
export const controlRules: readonly ControlDefinition[] = [
  conventionMissing,
  habilitationTrainingScope,
  habilitationNotEvaluator,
  habilitationOutsidePeriod,
  qualiopiCpf,
  certificateUnsupported,
  chronologyInconsistent,
  successRateOutlier,
  volumeSuddenGrowth,
  trainingHoursBelowMinimum,
  trainingGroupSize,
  accrochageLate,
  registryNotDeclared,
  conventionExpiring,
  candidateCertifiedTwice,
  scoresIdenticalPattern,
  assessmentDeclaredLate,
  resultsLate,
  evaluatorConflict,
  evidenceMissing,
] as ControlDefinition[];
