/**
 * The standalone audit verifier. It imports only hashing, signature and parsing code (no store,
 * keychain or installation), so `custodia audit verify` works on a machine that has never seen
 * the pharmacy, and the module can be lifted out into its own package.
 */
export {
  verifyBundle,
  verifyBundleFile,
  type BundleVerifyInput,
  type BundleVerifyReport,
} from './verify-bundle';
export type { Verdict } from './verdict';
export { parseVerifierKey } from '../note';
