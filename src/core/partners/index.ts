/** Trading partners and their saved CSV column mappings. */
export { partnersHandlers } from './handlers';
export {
  getMapping,
  listPartners,
  projectMapping,
  projectPartner,
  PARTNER_ROLES,
  type PartnerInput,
} from './store';
