/** Trading partners and their saved CSV column mappings. */
export { partnersHandlers } from './handlers';
export {
  getMapping,
  listPartners,
  partnerNameOf,
  projectMapping,
  projectPartner,
  saveMapping,
  savePartner,
  type PartnerInput,
} from './store';
