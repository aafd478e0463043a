/**
 * The designs' layout rules as data (designs.ts) and their evaluator over StructLayouts.
 */
export { DESIGNS, type Design, type FieldRef, type LayoutRule, type LayoutRuleKind, type StructRole } from './rules.js';
export { DESIGN_RULES, ROLE_STRUCT, designRoles } from './designs.js';
export { evaluateDesign, evaluateRule, evaluateRules, MissingStructError, type RoleLayouts, type RuleResult } from './evaluate.js';
export { formatRange, isPointerType, leaves, memberRange, overlaps, resolve, units, type ByteRange, type Leaf, type Unit } from './members.js';
export { memdescPage, memdescPage2w } from './page-variants.js';
export { collectDesignLayouts, roleLayouts, StructNotFoundError, type LayoutInputs, type LayoutSource, type SourcedLayout } from './sources.js';
