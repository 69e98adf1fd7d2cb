/**
 * This replica's view of which deployments cool down until when, read on every routing decision: plain
 * numbers in a Map, so a read allocates nothing and never waits.
 */
export class CooldownTable {
  private readonly untils = new Map<string, number>();

  isCoolingDown(deploymentId: string, now: number): boolean {
    const until = this.untils.get(deploymentId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.untils.delete(deploymentId);
    return false;
  }

  nextAvailableAt(deploymentIds: readonly string[], now: number): number | undefined {
    let earliest: number | undefined;
    for (const id of deploymentIds) {
      const until = this.untils.get(id);
      if (until !== undefined && until > now && (earliest === undefined || until < earliest)) earliest = until;
    }
    return earliest;
  }

  /** Records a cooldown learnt from anywhere; an earlier end never shortens a known later one. */
  note(deploymentId: string, until: number): void {
    const known = this.untils.get(deploymentId);
    if (known === undefined || until > known) this.untils.set(deploymentId, until);
  }

  /** The end of the deployment's cooldown, when one is known and still running. */
  untilOf(deploymentId: string, now: number): number | undefined {
    const until = this.untils.get(deploymentId);
    return until !== undefined && until > now ? until : undefined;
  }
}
