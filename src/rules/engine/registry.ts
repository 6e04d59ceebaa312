import type { ControlDefinition } from './control-definition.js';

/**
 * The controls a run may use, by id. Built from a list so that a duplicate id is caught when the
 * application starts, not when two rules silently share findings.
 */
export class ControlRegistry {
  private readonly byId = new Map<string, ControlDefinition>();

  constructor(rules: readonly ControlDefinition[]) {
    for (const rule of rules) {
      if (!/^[a-z0-9][a-z0-9._-]{1,99}$/.test(rule.id)) throw new Error(`invalid rule id ${rule.id}`);
      if (this.byId.has(rule.id)) throw new Error(`two rules share the id ${rule.id}`);
      this.byId.set(rule.id, rule);
    }
  }

  /** Every rule, in registration order. */
  all(): ControlDefinition[] {
    return [...this.byId.values()];
  }

  find(id: string): ControlDefinition | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
