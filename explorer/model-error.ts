/**
 * A fault of the model rather than of the design it models: a field out of its declared
 * bounds, an action list too long to index, a trace that names no initial state. The engine
 * stops on it instead of reporting a violation, because no kernel rule was broken.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}
