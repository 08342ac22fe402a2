/** Memory sizes (MiB) AWS Fargate accepts for each task CPU size (CPU units). */
const FARGATE_MEMORY: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Throws an error naming `cpu` and `memory` and the valid choices when Fargate rejects the pair. */
export function validateFargateSize(cpu: number, memory: number) {
  const memories = FARGATE_MEMORY[cpu];
  if (!memories) {
    throw new Error(`\`cpu\` must be one of ${Object.keys(FARGATE_MEMORY).join(', ')} on Fargate, got ${cpu}`);
  }
  if (!memories.includes(memory)) {
    const shown = memories.length > 6 ? `${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}` : memories.join(', ');
    throw new Error(`\`memory\` ${memory} is not valid with \`cpu\` ${cpu} on Fargate: use ${shown} (MiB)`);
  }
}
