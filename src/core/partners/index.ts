/** Trading partners and their saved CSV column mappings. */
export { partnersHandlers } from './handlers';
export { getMapping, listPartners, projectMapping, projectPartner, type PartnerInput } from './store';
