import type { Contract, OutputOf } from '../../../core/api';
import { traceHref } from './route';

type Node = OutputOf<Contract['trace.lookup']>['contents'][number];

/** An SSCC is a logistic unit; an SGTIN whose GTIN has a packaging indicator other than 0 is a case. */
function kindLabel(node: Node): string {
  if (node.kind === 'sscc') return 'Logistic unit (SSCC)';
  if (node.kind === 'sgtin') return node.gtin !== null && node.gtin[0] !== '0' ? 'Case' : 'Package';
  return node.kind;
}

/** A Digital Link as a person reads it: "serial S100001", "SSCC 0081…", else as it is. */
function idWords(identifier: string): string {
  const serial = /\/21\/([^/]+)$/.exec(identifier);
  if (serial) return `serial ${decodeURIComponent(serial[1]!)}`;
  const sscc = /\/00\/(\d{18})$/.exec(identifier);
  if (sscc) return `SSCC ${sscc[1]}`;
  return identifier;
}

/** What a pallet or case holds, level by level, as the aggregation events left it. */
export function ContentsTree({ nodes, truncated }: { nodes: readonly Node[]; truncated: boolean }) {
  return (
    <div className="contents-tree">
      <ul role="tree" aria-label="Contents" data-testid="contents-tree">
        {nodes.map((n) => (
          <TreeNode key={n.identifier} node={n} level={1} />
        ))}
      </ul>
      {truncated ? (
        <p className="field-hint">
          Only the first levels and items are shown; export the history for everything it holds.
        </p>
      ) : null}
    </div>
  );
}

function TreeNode({ node, level }: { node: Node; level: number }) {
  const hasChildren = node.children.length > 0;
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-expanded={hasChildren ? true : undefined}
      data-testid="contents-node"
      data-kind={kindLabel(node)}
    >
      <span className="tree-label">
        <span className="tree-kind">{kindLabel(node)}</span>{' '}
        <a href={traceHref(node.identifier)}>{node.product ?? idWords(node.identifier)}</a>
        {node.ndc ? (
          <span className="field-hint">
            {' '}
            · NDC <span className="mono">{node.ndc}</span>
          </span>
        ) : null}
        {node.lot ? (
          <span className="field-hint">
            {' '}
            · lot <span className="mono">{node.lot}</span>
          </span>
        ) : null}
        {node.product ? (
          <span className="field-hint">
            {' '}
            · <span className="mono">{idWords(node.identifier)}</span>
          </span>
        ) : null}
        <span className="pill pill-info tree-state">{node.state}</span>
        {hasChildren ? <span className="field-hint"> · {node.children.length} inside</span> : null}
      </span>
      {hasChildren ? (
        <ul role="group">
          {node.children.map((c) => (
            <TreeNode key={c.identifier} node={c} level={level + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
