import type { HabilitationStatus } from '../../../core/habilitations/lifecycle.js';

/** One colour per status: green in force, orange watched, red stopped, grey closed or not yet granted. */
export const habilitationStatusColors: Record<HabilitationStatus, string> = {
  application: 'gray',
  review: 'blue',
  active: 'teal',
  under_watch: 'orange',
  suspended: 'red',
  withdrawn: 'red',
  expired: 'gray',
  ended: 'gray',
};

/** Decisions that take something away from the partner: their button is red. */
const restrictive: readonly HabilitationStatus[] = ['suspended', 'withdrawn'];

/** Decisions that move the habilitation forward: their button is filled. */
const forward: readonly HabilitationStatus[] = ['review', 'active'];

export type DecisionTone = 'primary' | 'danger' | 'neutral';

export function decisionTone(to: HabilitationStatus): DecisionTone {
  if (forward.includes(to)) return 'primary';
  if (restrictive.includes(to)) return 'danger';
  return 'neutral';
}

/**
 * The decisions to offer, in a steady order: forward moves first, then the watch, then the heavier ones,
 * then the ordinary ends. Only moves the server allows (`allowed`, from the lifecycle table) are kept.
 */
export function orderedDecisions(allowed: readonly HabilitationStatus[]): HabilitationStatus[] {
  const order: HabilitationStatus[] = [
    'review',
    'active',
    'application',
    'under_watch',
    'suspended',
    'withdrawn',
    'expired',
    'ended',
  ];
  return order.filter((s) => allowed.includes(s));
}
