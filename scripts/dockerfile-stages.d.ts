// Types for dockerfile-stages.js, which stays plain JavaScript so the bench can use it without a build.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions in file order, with `\` continuations joined and comments dropped. */
export function readInstructions(dockerfile: string): Instruction[];

/** Stages in order; `ARG` lines before the first `FROM` are global and belong to no stage. */
export function readStages(dockerfile: string): Stage[];
