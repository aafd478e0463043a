/** The sentences a run gives when it stops before exhausting the state space. */

export function stateLimitReason(maxStates: number): string {
  return `state limit reached: ${maxStates} distinct states stored and more remain unexplored`;
}

export function depthBoundReason(maxDepth: number): string {
  return `depth bound ${maxDepth} reached: states at that depth have successors that were not explored`;
}

export function timeLimitReason(timeLimitMs: number): string {
  return `time limit of ${timeLimitMs} ms reached before the state space was exhausted`;
}

export function simulationReason(walks: number, walkDepth: number, cutShort: number): string {
  const cut = cutShort > 0 ? `, ${cutShort} of them cut at the depth bound` : '';
  return `random simulation: ${walks} walks of at most ${walkDepth} steps found no violation${cut}; simulation does not exhaust the state space`;
}
