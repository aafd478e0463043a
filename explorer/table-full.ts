// Stryker disable all: reached only by a hash table that failed to grow in time
/** The open-addressing tables grow before they fill, so a probe that goes a whole lap without
 *  an empty slot meets a broken table: failing there beats probing it forever. */
export function tableFull(table: string, slots: number): never {
  throw new RangeError(`${table} full (${slots} slots): no empty slot in a whole lap of probing`);
}
// Stryker restore all
