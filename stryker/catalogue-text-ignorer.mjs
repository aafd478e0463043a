// A Stryker ignorer for the invariant catalogues' prose: the `description` and `kernelRule`
// strings of each catalogue entry. No verdict reads them (reports print them), the catalogue
// tests check each entry has both, and being module-level constants every mutant of them is
// "static": it reruns the whole invariants suite. Ignoring them keeps the run within minutes.
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const TEXT_KEYS = new Set(['description', 'kernelRule']);

class CatalogueTextIgnorer {
  shouldIgnore(path) {
    if (!path.isObjectProperty()) return undefined;
    const { key, value } = path.node;
    if (key.type !== 'Identifier' || !TEXT_KEYS.has(key.name)) return undefined;
    if (value.type !== 'StringLiteral' && value.type !== 'TemplateLiteral') return undefined;
    return 'catalogue text: no verdict reads it; the catalogue tests check that every entry has it';
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'catalogue-text', CatalogueTextIgnorer)];
