import { SelectField } from '../../ui/Form';

interface Partner {
  readonly id: number;
  readonly name: string;
  readonly mappings: readonly { readonly id: number; readonly name: string }[];
}

/**
 * Which trading partner files come from, and which of its saved column mappings reads its CSV
 * files: the choice an import and a watched folder both make. Choosing another partner clears the
 * mapping, since mappings belong to their partner.
 */
export function PartnerMappingFields(props: {
  partners: readonly Partner[];
  partnerId: string;
  mappingId: string;
  onChange: (partnerId: string, mappingId: string) => void;
  labels: { partner: string; anyPartner: string; mapping: string };
}) {
  const mappings = props.partners.find((p) => String(p.id) === props.partnerId)?.mappings ?? [];
  return (
    <>
      <SelectField
        label={props.labels.partner}
        value={props.partnerId}
        onChange={(e) => props.onChange(e.target.value, '')}
        hint="Needed for CSV files: its saved column mapping reads them."
      >
        <option value="">{props.labels.anyPartner}</option>
        {props.partners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={props.labels.mapping}
        value={props.mappingId}
        disabled={mappings.length === 0}
        onChange={(e) => props.onChange(props.partnerId, e.target.value)}
      >
        <option value="">{mappings.length === 0 ? 'No saved mapping' : "The partner's first mapping"}</option>
        {mappings.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}
