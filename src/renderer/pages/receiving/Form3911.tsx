import type { Contract, OutputOf } from '../../../core/api';
import { downloadFile } from '../../lib/download';
import { Button } from '../../ui/Button';
import { CLASSIFICATION_LABEL } from './kinds';

type Form = NonNullable<NonNullable<OutputOf<Contract['receiving.investigation']>['outcome']>['form3911']>;

/**
 * The Form FDA 3911 (version 8/15) data an illegitimate determination prepares, item by item, for
 * the person who files it on FDA's portal; the reports area turns it into the form.
 */
export function Form3911({ form }: { form: Form }) {
  const rows: [string, string][] = [
    ['1. Type of report', form.typeOfReport],
    ['2. Incident number', form.incidentNumber ?? 'assigned by FDA on the initial report'],
    ['3. Date of initial notification', form.dateOfInitialNotification ?? 'the day you file'],
    ['4. Date determined illegitimate', form.dateDeterminedIllegitimate],
    ['5. Classification', CLASSIFICATION_LABEL[form.classification]],
    ['6. Product name', form.productName ?? '—'],
    ['7. Primary ingredients', form.primaryIngredients ?? '—'],
    ['10. Strength', form.strength ?? '—'],
    ['11. Dosage form', form.dosageForm ?? '—'],
    ['12. Quantity', `${form.quantity.number} ${form.quantity.unit}`],
    ['13. NDC', form.ndc ?? '—'],
    ['14. Serial numbers', form.serialNumbers.join(', ') || '—'],
    ['15. Lot numbers', form.lotNumbers.join(', ') || '—'],
    ['16. Expiration dates', form.expirationDates.join(', ') || '—'],
    ['17. Description', form.description],
    ['19. Other reporting', form.otherReportingMechanisms.join('; ') || '—'],
  ];
  return (
    <section className="form3911" aria-labelledby="form3911-title" data-testid="form3911">
      <h4 id="form3911-title">Form FDA 3911 data (prepared, not yet filed)</h4>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label} className="facts-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Button
        onClick={() =>
          downloadFile(
            `form-3911-${form.dateDeterminedIllegitimate}.json`,
            JSON.stringify(form, null, 2),
            'application/json',
          )
        }
      >
        Download the 3911 data
      </Button>
    </section>
  );
}
