// A Stryker ignorer for what the invariant catalogues say about an invariant rather than how it
// is checked: the `description`, `kernelRule`, `name` and `kind` strings of each catalogue entry
// (an object with a `kernelRule`). No verdict reads the prose; a changed name or kind fails the
// catalogue lookups and tests at once; and, being module-level constants, each of their mutants
// is "static": it reruns the whole invariants suite. An entry's `designs`, which decides where
// its invariant is checked, is still mutated.
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const KEYS = new Set(['description', 'kernelRule', 'name', 'kind']);

const isCatalogueEntry = (object) =>
  object?.type === 'ObjectExpression'
  && object.properties.some((p) => p.type === 'ObjectProperty' && p.key.type === 'Identifier' && p.key.name === 'kernelRule');

class CatalogueTextIgnorer {
  shouldIgnore(path) {
    if (!path.isObjectProperty()) return undefined;
    const { key, value } = path.node;
    if (key.type !== 'Identifier' || !KEYS.has(key.name)) return undefined;
    if (value.type !== 'StringLiteral' && value.type !== 'TemplateLiteral') return undefined;
    if (!isCatalogueEntry(path.parent)) return undefined;
    return 'catalogue text: no verdict reads it; the catalogue tests check that every entry has it';
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'catalogue-text', CatalogueTextIgnorer)];
