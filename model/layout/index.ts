/**
 * The C layout engine: kernel-style headers in, struct layouts and static-assertion verdicts
 * out, for the x86-64 (LP64) and i386 (ILP32) System V ABIs.
 */
export type { Abi, MemberLayout, StructLayout } from './types.js';
export { HeaderError, MemberPathError, NoPreprocessorError, type SourceLoc } from './errors.js';
export {
  parseHeader,
  readHeader,
  readHeaderFile,
  layoutHeader,
  MAX_HEADER_BYTES,
  type AssertionOperand,
  type AssertionResult,
  type HeaderReport,
  type ReadHeaderOptions,
} from './header.js';
export { PREPROCESSOR_BOUNDS, type PreprocessorBounds, type PreprocessorChoice } from './preprocess.js';
export { MAX_NESTING } from './parser.js';
export { resolveMember, leafMembers, membersOverlapping, overlaps, type MemberRange, type Overlap } from './paths.js';
export { LayoutEngine } from './engine.js';
export { KERNEL_PRELUDE } from './builtins.js';
export { renderPahole, paholeSpelling, layoutToJson, holesAndPadding, type Hole, type JsonLayout, type JsonMember } from './pahole.js';
export { bundledHeaderPath, type BundledHeader } from './headers.js';
